package io.walrus.log;

import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A data file as the log sees it: its header, how many of its blocks are handed out, whether it needs a flush. */
final class LogFile {
    final DataFile io;
    final FileHeader header;
    /** Blocks handed out so far; guarded by the {@link BlockAllocator}. */
    int allocatedBlocks;
    private final AtomicBoolean dirty = new AtomicBoolean();

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
     * Forces the file if it was written since the last force. The flag is cleared before the force,
     * so a write that lands during it marks the file again and is covered by the next one.
     * Returns whether it forced the file.
     */
    boolean flushIfDirty() throws IOException {
        if (dirty.getAndSet(false)) {
            try {
                io.force();
            } catch (IOException e) {
                dirty.set(true);
                throw new IOException("fsync of " + io.path() + " failed: " + e.getMessage(), e);
            }
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return io.path().getFileName().toString();
    }
}
