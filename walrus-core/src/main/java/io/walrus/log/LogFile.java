package io.walrus.log;

import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A data file as the log sees it: its header, how many of its blocks are handed out, whether it needs a flush. */
final class LogFile {
    final DataFile io;
    final FileHeader header;
    /** Blocks handed out so far; guarded by the {@link BlockAllocator}. */
    int allocatedBlocks;
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Flushes of this file between their start and the end of their force (see {@link #flushIfDirty()}). */
    private final AtomicInteger flushesInFlight = new AtomicInteger();

    LogFile(DataFile io, FileHeader header, int allocatedBlocks) {
        this.io = io;
        this.header = header;
        this.allocatedBlocks = allocatedBlocks;
    }

    long blockOffset(int index) {
        return FormatDescriptor.blockOffset(header.blockSize(), index);
    }

    /** After a write: the next flush must cover this file. Cheap when already dirty (a read, no store). */
    void markDirty() {
        if (!dirty.get()) {
            dirty.set(true);
        }
    }

    /**
     * Returns once every write that marked this file dirty before the call is on stable storage,
     * and whether it forced the file.
     *
     * <p>The flag is cleared before the force, so a write that lands during it marks the file again
     * and is covered by the next one. Flushes may overlap (close, a background flusher, tests), and a
     * flush that finds the flag already cleared by another must not return before that other's force
     * has finished: it cannot tell whether it has, so it forces too. Registering in
     * {@code flushesInFlight} before reading the flag makes that visible: either the other flush is
     * still registered, or its force completed before this flush started.
     */
    boolean flushIfDirty() throws IOException {
        flushesInFlight.incrementAndGet();
        try {
            boolean wasDirty = dirty.getAndSet(false);
            if (wasDirty || flushesInFlight.get() > 1) {
                force(wasDirty);
                return true;
            }
            return false;
        } finally {
            flushesInFlight.decrementAndGet();
        }
    }

    private void force(boolean wasDirty) throws IOException {
        try {
            io.force();
        } catch (IOException e) {
            if (wasDirty) {
                dirty.set(true);
            }
            throw new IOException("fsync of " + io.path() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return io.path().getFileName().toString();
    }
}
