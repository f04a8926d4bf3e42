package io.walrus.cursor;

import io.walrus.format.DataFileNames;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One small file per topic under {@code cursors/} (the default consumer's) or under a named
 * consumer's directory. A save writes a new file, fsyncs it, renames it
 * over the old one and fsyncs the directory, so after a crash the cursor is either the old one or the
 * new one, never a mix.
 *
 * <pre>
 *   0       4         8              16         24       28           32     36
 *   +-------+---------+--------------+----------+--------+------------+------+------------+
 *   | magic | version | nextSequence | blockSeq | offset | nameLength | crc  | topic name |
 *   +-------+---------+--------------+----------+--------+------------+------+------------+
 * </pre>
 * {@code crc} is CRC32C of bytes [0, 32) and the name.
 */
public final class CursorStore {
    private static final int MAGIC = 0x52435557; // "WUCR"
    private static final int VERSION = 1;
    private static final int HEADER = 36;

    private final Path directory;
    private final System.Logger logger;

    /** The default consumer's cursors: {@code <instance>/cursors/}. */
    public CursorStore(Path instanceDirectory, System.Logger logger) throws IOException {
        this(logger, instanceDirectory.resolve(DataFileNames.CURSOR_DIRECTORY));
    }

    private CursorStore(System.Logger logger, Path directory) throws IOException {
        this.directory = directory;
        this.logger = logger;
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Directories.sync(directory.getParent());
        }
    }

    /** Cursors kept in {@code directory} (a named consumer's), created (durably) if missing. */
    public static CursorStore inDirectory(Path directory, System.Logger logger) throws IOException {
        return new CursorStore(logger, directory);
    }

    /** Every readable cursor by topic. A damaged cursor file is reported and skipped. */
    public Map<String, Cursor> loadAll() throws IOException {
        Map<String, Cursor> cursors = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a save that crashed before its rename: the old file stands
                    continue;
                }
                if (!name.endsWith(DataFileNames.CURSOR_SUFFIX)) {
                    continue;
                }
                decode(Files.readAllBytes(file)).ifPresentOrElse(
                        entry -> cursors.put(entry.getKey(), entry.getValue()),
                        () -> logger.log(Level.ERROR, "cursor file {0} is damaged; that topic is read from its start", file));
            }
        }
        return cursors;
    }

    /**
     * Every readable cursor under {@code instanceDirectory}, for tools that must not change anything:
     * unlike {@link #loadAll()} it creates no directory, deletes no leftover {@code .tmp} file and
     * logs nothing. Damaged cursor files are returned by name in {@code damaged}.
     */
    public static Map<String, Cursor> readAll(Path instanceDirectory, java.util.List<Path> damaged) throws IOException {
        Path directory = instanceDirectory.resolve(DataFileNames.CURSOR_DIRECTORY);
        Map<String, Cursor> cursors = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return cursors;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(DataFileNames.CURSOR_SUFFIX)) {
                    decode(Files.readAllBytes(file)).ifPresentOrElse(
                            entry -> cursors.put(entry.getKey(), entry.getValue()), () -> damaged.add(file));
                }
            }
        }
        return cursors;
    }

    public void save(String topic, Cursor cursor) throws IOException {
        Path temp = writeTemp(topic, cursor);
        Directories.replaceDurably(temp, directory.resolve(DataFileNames.cursorFile(topic)));
    }

    /** Saves many cursors at once: each file is synced, then one directory sync makes every rename durable. */
    public void saveAll(Map<String, Cursor> cursors) throws IOException {
        for (Map.Entry<String, Cursor> entry : cursors.entrySet()) {
            Path temp = writeTemp(entry.getKey(), entry.getValue());
            Files.move(temp, directory.resolve(DataFileNames.cursorFile(entry.getKey())),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        Directories.sync(directory);
    }

    private Path writeTemp(String topic, Cursor cursor) throws IOException {
        Path temp = directory.resolve(DataFileNames.cursorFile(topic) + ".tmp");
        ByteBuffer bytes = encode(topic, cursor);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        return temp;
    }

    private static ByteBuffer encode(String topic, Cursor cursor) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + name.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt(VERSION).putLong(cursor.nextSequence()).putLong(cursor.blockSeq())
                .putInt(cursor.offset()).putInt(name.length);
        buffer.putInt(crc(buffer.array(), name));
        buffer.put(name);
        return buffer.flip();
    }

    private static java.util.Optional<Map.Entry<String, Cursor>> decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            return java.util.Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int nameLength = buffer.getInt(28);
        if (buffer.getInt(0) != MAGIC || buffer.getInt(4) != VERSION || nameLength <= 0
                || HEADER + nameLength != bytes.length) {
            return java.util.Optional.empty();
        }
        byte[] name = java.util.Arrays.copyOfRange(bytes, HEADER, bytes.length);
        if (buffer.getInt(32) != crc(bytes, name)) {
            return java.util.Optional.empty();
        }
        Cursor cursor = new Cursor(buffer.getLong(8), buffer.getLong(16), buffer.getInt(24));
        return java.util.Optional.of(Map.entry(new String(name, StandardCharsets.UTF_8), cursor));
    }

    private static int crc(byte[] header, byte[] name) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 32);
        crc.update(name);
        return (int) crc.getValue();
    }
}
