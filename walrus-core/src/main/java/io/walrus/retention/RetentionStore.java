package io.walrus.retention;

import io.walrus.format.DataFileNames;
import io.walrus.format.RetentionManifest;
import io.walrus.format.RetentionManifest.Floor;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * The instance's {@code RETENTION} file on disk. A save writes {@code RETENTION.tmp}, fsyncs it,
 * renames it over {@code RETENTION} and fsyncs the directory, so after a crash the file is the old
 * one or the new one, never a mix. Floors only ever move forward, so the old one is always safe to
 * recover with: it names fewer consumed blocks, and the files holding them are kept or deleted again.
 */
public final class RetentionStore {
    /** What a load found: the floors, and whether a file was there but did not verify. */
    public record Loaded(Map<String, Floor> floors, boolean damaged) {
    }

    private static final String SET_ASIDE_SUFFIX = ".unreadable";

    private final Path directory;
    private final Path file;

    public RetentionStore(Path instanceDirectory) {
        this.directory = instanceDirectory;
        this.file = instanceDirectory.resolve(DataFileNames.RETENTION_FILE);
    }

    /**
     * The floors at open. A leftover {@code RETENTION.tmp} (a save that crashed before its rename) is
     * deleted; a file that does not verify is moved aside to {@code RETENTION.unreadable} and
     * reported, never deleted.
     */
    public Loaded load(System.Logger logger) throws IOException {
        Files.deleteIfExists(temp());
        Optional<byte[]> bytes = readIfExists(file);
        if (bytes.isEmpty()) {
            return new Loaded(Map.of(), false);
        }
        Optional<Map<String, Floor>> floors = RetentionManifest.decode(bytes.get());
        if (floors.isPresent()) {
            return new Loaded(floors.get(), false);
        }
        Path aside = file.resolveSibling(file.getFileName() + SET_ASIDE_SUFFIX);
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Directories.sync(directory);
        logger.log(Level.ERROR, "{0} is damaged; moved it aside to {1}. Where topics start after deleted files is "
                + "taken from their consumers'' cursors instead", file, aside);
        return new Loaded(Map.of(), true);
    }

    /** The floors as they are on disk, changing nothing: for tools that look at a directory another process may hold. */
    public static Loaded read(Path instanceDirectory) throws IOException {
        Optional<byte[]> bytes = readIfExists(instanceDirectory.resolve(DataFileNames.RETENTION_FILE));
        if (bytes.isEmpty()) {
            return new Loaded(Map.of(), false);
        }
        Optional<Map<String, Floor>> floors = RetentionManifest.decode(bytes.get());
        return floors.map(f -> new Loaded(f, false)).orElseGet(() -> new Loaded(Map.of(), true));
    }

    /** Replaces the file with {@code floors}, durably, before any file they make deletable is deleted. */
    public void save(Map<String, Floor> floors) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(RetentionManifest.encode(floors));
        Path temp = temp();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        Directories.replaceDurably(temp, file);
    }

    private Path temp() {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static Optional<byte[]> readIfExists(Path path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (java.nio.file.NoSuchFileException absent) {
            return Optional.empty();
        }
    }
}
