package io.walrus.jmh;

import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Walrus instance in a temporary directory of its own, deleted on close: each benchmark state
 * starts from an empty log and leaves nothing behind.
 */
final class ScratchWalrus implements AutoCloseable {
    /** Writes never move a cursor here, so persisting cursors rarely keeps reads from measuring disk syncs. */
    private static final int PERSIST_EVERY = 1_000_000;

    private final Path directory;
    private final Walrus walrus;

    private ScratchWalrus(Path directory, Walrus walrus) {
        this.directory = directory;
        this.walrus = walrus;
    }

    /** Walrus with {@code FsyncSchedule.noFsync()}: the microbenchmarks measure Walrus, not the disk. */
    static ScratchWalrus open() throws IOException {
        Path directory = Files.createTempDirectory("walrus-jmh-");
        Walrus walrus = Walrus.builder()
                .dataDir(directory)
                .consistency(ReadConsistency.atLeastOnce(PERSIST_EVERY))
                .fsync(FsyncSchedule.noFsync())
                .open();
        return new ScratchWalrus(directory, walrus);
    }

    Walrus walrus() {
        return walrus;
    }

    @Override
    public void close() throws IOException {
        walrus.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
