package io.walrus.cursor;

import io.walrus.format.ConsumerDescriptor;
import io.walrus.format.DataFileNames;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Named consumers on disk: {@code consumers/<name>-<fnv64>/} holding a {@code CONSUMER} descriptor
 * and one cursor file per topic the consumer has read. The descriptor is the commit point of both
 * life-cycle steps, so a crash at any moment leaves either the whole consumer or none of it:
 * creating writes the directory and the initial cursors first and the descriptor last; removing
 * deletes the descriptor first. A directory without a descriptor is what an interrupted create or
 * remove left, and is deleted when the instance opens.
 */
public final class ConsumerStore {
    /** A consumer found on disk: what it is, and its cursors. */
    public record Stored(ConsumerDescriptor descriptor, CursorStore cursors) {
    }

    private static final String SET_ASIDE_SUFFIX = ".unreadable";

    private final Path instanceDirectory;
    private final Path root;
    private final System.Logger logger;

    public ConsumerStore(Path instanceDirectory, System.Logger logger) {
        this.instanceDirectory = instanceDirectory;
        this.root = instanceDirectory.resolve(DataFileNames.CONSUMER_DIRECTORY);
        this.logger = logger;
    }

    /**
     * Every consumer on disk. Leftovers of an interrupted create or remove are deleted; a directory
     * whose descriptor does not verify is set aside (renamed {@code *.unreadable}), never deleted.
     */
    public List<Stored> loadAll() throws IOException {
        List<Stored> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        boolean changed = false;
        try (Stream<Path> listing = Files.list(root)) {
            for (Path directory : (Iterable<Path>) listing::iterator) {
                if (!Files.isDirectory(directory) || directory.getFileName().toString().endsWith(SET_ASIDE_SUFFIX)) {
                    continue;
                }
                Files.deleteIfExists(directory.resolve(DataFileNames.CONSUMER_FILE + ".tmp"));
                Path descriptorFile = directory.resolve(DataFileNames.CONSUMER_FILE);
                if (!Files.exists(descriptorFile)) {
                    logger.log(Level.INFO, "deleting {0}: a consumer whose creation or removal was interrupted", directory);
                    deleteDirectory(directory);
                    changed = true;
                    continue;
                }
                Optional<ConsumerDescriptor> descriptor = ConsumerDescriptor.decode(Files.readAllBytes(descriptorFile))
                        .filter(d -> DataFileNames.consumerDirectory(d.name()).equals(directory.getFileName().toString()));
                if (descriptor.isEmpty()) {
                    Path aside = directory.resolveSibling(directory.getFileName() + SET_ASIDE_SUFFIX);
                    Files.move(directory, aside, StandardCopyOption.ATOMIC_MOVE);
                    logger.log(Level.ERROR, "consumer descriptor {0} is damaged; set the consumer aside to {1}",
                            descriptorFile, aside);
                    changed = true;
                    continue;
                }
                found.add(new Stored(descriptor.get(), CursorStore.inDirectory(directory, logger)));
            }
        }
        if (changed) {
            Directories.sync(root);
        }
        return found;
    }

    /**
     * Creates a consumer durably with {@code initialCursors} (empty unless it starts at the tail).
     * Whatever an earlier, interrupted create or remove left under the same name is cleared first.
     */
    public Stored create(ConsumerDescriptor descriptor, Map<String, Cursor> initialCursors) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Directories.sync(instanceDirectory);
        }
        Path directory = root.resolve(DataFileNames.consumerDirectory(descriptor.name()));
        if (Files.exists(directory)) {
            Path existing = directory.resolve(DataFileNames.CONSUMER_FILE);
            Optional<ConsumerDescriptor> other = Files.exists(existing)
                    ? ConsumerDescriptor.decode(Files.readAllBytes(existing)) : Optional.empty();
            if (other.isPresent() && !other.get().name().equals(descriptor.name())) {
                // Two names whose 64-bit hashes collide: never clear another consumer's cursors.
                throw new IOException("consumer '" + descriptor.name() + "' would share its directory " + directory
                        + " with another consumer (their names' hashes collide); choose another name");
            }
            deleteDirectory(directory);
        }
        Files.createDirectory(directory);
        Directories.sync(root);
        CursorStore cursors = CursorStore.inDirectory(directory, logger);
        if (!initialCursors.isEmpty()) {
            cursors.saveAll(initialCursors);
        }
        Path temp = directory.resolve(DataFileNames.CONSUMER_FILE + ".tmp");
        ByteBuffer bytes = ByteBuffer.wrap(descriptor.encode());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        Directories.replaceDurably(temp, directory.resolve(DataFileNames.CONSUMER_FILE));
        return new Stored(descriptor, cursors);
    }

    /** Removes a consumer durably: once this returns, no later open finds it. */
    public void remove(String name) throws IOException {
        Path directory = root.resolve(DataFileNames.consumerDirectory(name));
        Files.deleteIfExists(directory.resolve(DataFileNames.CONSUMER_FILE));
        Directories.sync(directory); // the commit point: from here on the consumer is gone
        deleteDirectory(directory);
        Directories.sync(root);
    }

    /** A consumer directory holds plain files only. */
    private static void deleteDirectory(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException gone) {
            return;
        }
        Files.deleteIfExists(directory);
    }
}
