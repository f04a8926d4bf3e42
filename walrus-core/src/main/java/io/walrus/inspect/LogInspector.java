package io.walrus.inspect;

import io.walrus.format.DataFileNames;
import io.walrus.log.ReadOnlyLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A read-only look at an instance directory (the folder holding {@code *.wal} files): its files and
 * topics as the next open would recover them, a check of every entry, and a topic's entries read or
 * followed. Nothing is written and no lock is taken, so it may look at a directory another process
 * has open; each call reflects what was on disk when it read it.
 *
 * <pre>{@code
 * try (LogInspector inspector = LogInspector.open(Path.of("wal_files"))) {
 *     for (TopicInfo topic : inspector.topics()) {
 *         System.out.println(topic.topic() + ": " + topic.entries() + " entries, lag " + topic.lag());
 *     }
 *     if (inspector.verify().damaged()) { ... }
 * }
 * }</pre>
 *
 * Not thread-safe: use an inspector from one thread at a time.
 */
public final class LogInspector implements AutoCloseable {
    private final ReadOnlyLog log;

    private LogInspector(ReadOnlyLog log) {
        this.log = log;
    }

    /**
     * Reads the data files and block headers of {@code instanceDirectory}.
     *
     * @throws NoSuchFileException   if the directory does not exist
     * @throws NotDirectoryException if it is a file
     */
    public static LogInspector open(Path instanceDirectory) throws IOException {
        if (!Files.exists(instanceDirectory)) {
            throw new NoSuchFileException(instanceDirectory.toString(), null, "no such directory");
        }
        if (!Files.isDirectory(instanceDirectory)) {
            throw new NotDirectoryException(instanceDirectory.toString());
        }
        return new LogInspector(ReadOnlyLog.open(instanceDirectory.toAbsolutePath()));
    }

    /**
     * The instance directory an instance opened with this data directory and key uses, as
     * {@code Walrus.builder().dataDir(dataDir).key(key)} resolves it: {@code dataDir} itself without a
     * key, else {@code dataDir/<sanitised key>}.
     */
    public static Path instanceDirectory(Path dataDir, String key) {
        return key == null || key.isEmpty() ? dataDir : dataDir.resolve(DataFileNames.sanitizeKey(key));
    }

    /** Whether {@code directory} holds data files of an instance (names like {@code 00000000000000000000.wal}). */
    public static boolean holdsDataFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (var listing = Files.list(directory)) {
            return listing.anyMatch(p -> DataFileNames.fileSequence(p).isPresent());
        }
    }

    public Path directory() {
        return log.directory();
    }

    /** Whether the directory was closed cleanly, and who holds it open now. */
    public DirectoryState state() {
        return new DirectoryState(log.directory(), log.cleanShutdown(),
                LockHolder.of(log.directory().resolve(DataFileNames.LOCK_FILE)));
    }

    /** The data files, in the order they were created. */
    public List<DataFileInfo> files() {
        return log.files();
    }

    /** Every topic as recovery would keep it, sorted by name. Reads and verifies every entry. */
    public List<TopicInfo> topics() throws IOException {
        return log.topics();
    }

    /** One topic as recovery would keep it; reads and verifies that topic's entries only. */
    public Optional<TopicInfo> topic(String name) throws IOException {
        return log.topic(name);
    }

    /** Checks every file header, block header, entry and cursor file; says what is damaged and where. */
    public VerifyReport verify() throws IOException {
        return log.verify();
    }

    /**
     * The topic's entries from sequence {@code fromSequence} on, in order, as recovery would keep
     * them; an unknown topic has none. No cursor moves.
     */
    public EntryReader entries(String topic, long fromSequence) throws IOException {
        ReadOnlyLog.EntryStream stream = log.entries(topic, fromSequence);
        return stream::next;
    }

    /**
     * Follows the topic from sequence {@code fromSequence} on, as another process appends to it;
     * each {@link TopicFollower#poll()} returns the entries whole on disk since the last.
     */
    public TopicFollower follow(String topic, long fromSequence) throws IOException {
        io.walrus.log.LiveTopicReader follower = log.follow(topic, fromSequence);
        return follower::poll;
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    /** Entries read in order; see {@link #entries}. */
    @FunctionalInterface
    public interface EntryReader {
        /** The next entry, or empty after the last. */
        Optional<StoredEntry> next() throws IOException;
    }

    /** A topic followed on disk; see {@link #follow}. */
    @FunctionalInterface
    public interface TopicFollower {
        /** Entries that are whole on disk since the last poll, in order; empty when there is none yet. */
        List<StoredEntry> poll() throws IOException;
    }
}
