package io.walrus.bench.readcompare;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Something the read comparison reads back: Walrus, a peer, or a plain loop, opened on the files its
 * write target left. Opening and {@link #reader} are setup and are not timed; only {@link Reader#read()}
 * is.
 */
interface ReadTarget extends AutoCloseable {

    /** Opens a target on what was written into {@code directory}. */
    @FunctionalInterface
    interface Opener {
        ReadTarget open(Path directory) throws IOException;
    }

    /** The reader of topic {@code topic} (writer {@code topic}'s stream), positioned at its first entry. */
    Reader reader(int topic) throws IOException;

    @Override
    void close() throws IOException;

    /** One topic's reader, used by one thread. */
    interface Reader {
        /**
         * Reads the next entry, or the next batch; returns how many entries it read, 0 when the topic
         * has no more (a peeking reader never runs out: the caller bounds it).
         */
        int read() throws IOException;

        /** Payload bytes read so far. */
        long bytes();

        /**
         * Heap bytes of the objects handed to the caller so far (the entries a Walrus read returns,
         * a {@code byte[]} RocksDB returns): what a read must allocate by its API. The rest of what
         * the reading thread allocated is the read path's own.
         */
        long returnedBytes();
    }
}
