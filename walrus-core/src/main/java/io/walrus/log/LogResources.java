package io.walrus.log;

import io.walrus.cursor.CursorStore;
import io.walrus.storage.BatchIo;
import io.walrus.storage.BufferPool;
import io.walrus.sync.FlushPolicy;

/** What every topic's writer and reader share within one instance. */
final class LogResources {
    final BlockAllocator allocator;
    final BufferPool buffers;
    /** How a batch's writes and a flush's fsyncs are issued: io_uring, or one by one. */
    final BatchIo batchIo;
    final Health health;
    final CursorStore cursors;
    final int persistEvery;
    /** When atLeastOnce(n) cursors are saved in the background (the system property, read at open). */
    final CursorSaveAhead saveAhead;
    final System.Logger logger;
    /** Sealed blocks recorded for fast open. */
    final SealLog seals;
    private FlushPolicy flushPolicy;
    private volatile boolean closed;

    LogResources(BlockAllocator allocator, BufferPool buffers, BatchIo batchIo, Health health, CursorStore cursors, int persistEvery,
                 CursorSaveAhead saveAhead, System.Logger logger, SealLog seals) {
        this.saveAhead = saveAhead;
        this.seals = seals;
        this.allocator = allocator;
        this.buffers = buffers;
        this.batchIo = batchIo;
        this.health = health;
        this.cursors = cursors;
        this.persistEvery = persistEvery;
        this.logger = logger;
    }

    void flushPolicy(FlushPolicy policy) {
        this.flushPolicy = policy;
    }

    FlushPolicy flushPolicy() {
        return flushPolicy;
    }

    /** The policy covering appends to the files of {@code lane}. */
    FlushPolicy flushPolicy(int lane) {
        return flushPolicy.lane(lane);
    }

    void markClosed() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Walrus instance is closed");
        }
    }
}
