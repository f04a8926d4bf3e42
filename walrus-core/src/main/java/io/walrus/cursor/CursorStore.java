package io.walrus.cursor;

import io.walrus.format.CursorFileDescriptor;
import io.walrus.format.DataFileNames;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One small file per topic under {@code cursors/} (the default consumer's) or under a named
 * consumer's directory, in the layout of {@link CursorFileDescriptor}: two fixed slots, a save
 * overwriting in place the one the last save did not use (one positional write and one fdatasync,
 * see {@link CursorFile}). Every save that returned is durable, and a crash during a save leaves
 * the cursor saved before it or the new one, never a mix.
 *
 * <p>Each topic's file stays open between saves; at most {@link #MAX_OPEN_FILES} per store, the
 * least recently saved closed beyond that (and reopened, without a read, at its next save).
 * {@link #close()} closes them all.
 */
public final class CursorStore implements AutoCloseable {
    /** Open cursor files per store: a store may hold a cursor for every topic of the instance. */
    static final int MAX_OPEN_FILES = 64;

    private final Path directory;
    private final System.Logger logger;
    private final ConcurrentHashMap<String, CursorFile> files = new ConcurrentHashMap<>();
    private final LinkedHashMap<CursorFile, Boolean> openByLastSave = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong replacements = new AtomicLong();

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
                    Files.deleteIfExists(file); // a file being made when a crash came, before its rename: the old file stands
                    continue;
                }
                if (!name.endsWith(DataFileNames.CURSOR_SUFFIX)) {
                    continue;
                }
                CursorFileDescriptor.decode(Files.readAllBytes(file)).ifPresentOrElse(
                        stored -> cursors.put(stored.topic(), cursorOf(stored)),
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
    public static Map<String, Cursor> readAll(Path instanceDirectory, List<Path> damaged) throws IOException {
        Path directory = instanceDirectory.resolve(DataFileNames.CURSOR_DIRECTORY);
        Map<String, Cursor> cursors = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return cursors;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(DataFileNames.CURSOR_SUFFIX)) {
                    CursorFileDescriptor.decode(Files.readAllBytes(file)).ifPresentOrElse(
                            stored -> cursors.put(stored.topic(), cursorOf(stored)), () -> damaged.add(file));
                }
            }
        }
        return cursors;
    }

    /** Saves {@code topic}'s cursor durably: once this returns, a crash leaves this cursor (or a later one). */
    public void save(String topic, Cursor cursor) throws IOException {
        CursorFile file = file(topic);
        file.save(cursor);
        keptOpen(file);
    }

    /**
     * Saves many cursors at once, each file made anew (temporary file, fsync, rename), then one
     * directory sync makes every rename durable.
     */
    public void saveAll(Map<String, Cursor> cursors) throws IOException {
        for (Map.Entry<String, Cursor> entry : cursors.entrySet()) {
            CursorFile file = file(entry.getKey());
            file.replace(entry.getValue(), false);
            keptOpen(file);
        }
        Directories.sync(directory);
    }

    /** Closes every open cursor file; a later save opens its file again. */
    @Override
    public void close() {
        synchronized (openByLastSave) {
            openByLastSave.clear();
        }
        for (CursorFile file : files.values()) {
            closeQuietly(file);
        }
    }

    /** How many times a file was made anew (temporary file and rename) rather than saved in place: for tests. */
    long replacements() {
        return replacements.get();
    }

    private static Cursor cursorOf(CursorFileDescriptor.Stored stored) {
        return new Cursor(stored.nextSequence(), stored.blockSeq(), stored.offset());
    }

    private CursorFile file(String topic) {
        return files.computeIfAbsent(topic,
                t -> new CursorFile(directory.resolve(DataFileNames.cursorFile(t)), t, replacements));
    }

    /** Marks {@code file} the most recently saved and closes the least recently saved beyond the bound. */
    private void keptOpen(CursorFile file) {
        List<CursorFile> evicted = null;
        synchronized (openByLastSave) {
            openByLastSave.put(file, Boolean.TRUE);
            Iterator<CursorFile> oldest = openByLastSave.keySet().iterator();
            while (openByLastSave.size() > MAX_OPEN_FILES) {
                CursorFile closing = oldest.next();
                oldest.remove();
                (evicted == null ? evicted = new ArrayList<>() : evicted).add(closing);
            }
        }
        if (evicted != null) {
            for (CursorFile closing : evicted) { // outside the lock: a save in progress on it finishes first
                closeQuietly(closing);
            }
        }
    }

    private void closeQuietly(CursorFile file) {
        try {
            file.close();
        } catch (IOException e) {
            // Every save already returned after its fdatasync: nothing is lost by a failed close.
            logger.log(Level.WARNING, "closing a cursor file in {0} failed: {1}", directory, e.getMessage());
        }
    }
}
