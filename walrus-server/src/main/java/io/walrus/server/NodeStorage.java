package io.walrus.server;

import io.walrus.FsyncSchedule;
import io.walrus.Walrus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a node keeps the payloads: a Walrus instance in the Raft group's state-machine directory. Its
 * schedule never forces it: the state machine flushes it when Ratis flushes its log (before the
 * log's own fdatasync, so a log entry on the disk has its payloads there) and before a snapshot
 * lets Ratis purge the log behind it (WalrusStateMachine.flush, takeSnapshot).
 *
 * @param blockSize     Walrus block size for the node's topics
 * @param blocksPerFile blocks per Walrus data file (files are preallocated, and a snapshot sent to a
 *                      lagging node carries them whole, so they are kept smaller than Walrus's default)
 */
record NodeStorage(int blockSize, int blocksPerFile) {
    static final NodeStorage DEFAULT = new NodeStorage(1 << 20, 64);

    /** Checks both values as Walrus does, before anything starts. */
    NodeStorage {
        Walrus.builder().blockSize(blockSize).blocksPerFile(blocksPerFile);
    }

    Walrus open(Path directory) throws IOException {
        return Walrus.builder()
                .dataDir(directory)
                .fsync(FsyncSchedule.noFsync())
                .blockSize(blockSize)
                .blocksPerFile(blocksPerFile)
                .fileLanes(1)
                // The node's cursors are replicated state, not Walrus's: the state machine deletes consumed
                // files itself, at snapshots (WalrusStateMachine.takeSnapshot), never in the background.
                .deleteConsumedFilesEvery(Duration.ZERO)
                .open();
    }
}
