package io.walrus.log;

import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data file as the log sees it: its header, how many of its blocks are handed out and how many of
 * those are released (consumed, or never part of a chain), whether it needs a flush, and who is
 * using it right now.
 *
 * <p>Readers and flushes <em>pin</em> the file around each use of its channel; the reclaimer
 * <em>retires</em> it once every block in it is released. A retired file takes no new pins, and its
 * channel is closed by whoever lets go of it last: a read in flight when the file is deleted
 * finishes on the open descriptor (on Linux the data stays until the last descriptor closes), and
 * nobody reads it after.
 */
final class LogFile {
    final DataFile io;
    final FileHeader header;
    /** Blocks handed out so far; guarded by the {@link BlockAllocator}. */
    int allocatedBlocks;
    /** Not filled by any lane: a file found at open that no lane took up again. */
    static final int NO_LANE = -1;
    /**
     * The allocator lane whose blocks this file holds, set before any block of it is handed out and
     * never changed after: a lane's flush forces its own files (and those of no lane) only.
     */
    private volatile int lane = NO_LANE;
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Flushes of this file between their start and the end of their force (see {@link #flushIfDirty()}). */
    private final AtomicInteger flushesInFlight = new AtomicInteger();
    /** Blocks handed out that no chain holds any more: consumed and dropped, or found dead at open. */
    private final AtomicInteger releasedBlocks = new AtomicInteger();
    /** Users of the channel right now, with {@link #RETIRED} set once the file is being deleted or closed. */
    private final AtomicInteger pins = new AtomicInteger();
    private static final int RETIRED = Integer.MIN_VALUE;

    LogFile(DataFile io, FileHeader header, int allocatedBlocks) {
        this.io = io;
        this.header = header;
        this.allocatedBlocks = allocatedBlocks;
    }

    /** Called by the allocator before the first block of this file is handed out from {@code lane}. */
    void assignLane(int lane) {
        this.lane = lane;
    }

    int lane() {
        return lane;
    }

    /** Whether the flush of {@code lane} must cover this file: it is that lane's, or no lane's. */
    boolean flushedWith(int lane) {
        int own = this.lane;
        return own == lane || own == NO_LANE;
    }

    /** Counts {@code count} blocks of this file that left their chains for good. */
    void release(int count) {
        releasedBlocks.addAndGet(count);
    }

    int releasedBlocks() {
        return releasedBlocks.get();
    }

    /**
     * Takes a pin on the channel, so it stays open until {@link #unpin()}. Returns false when the file
     * is retired: its blocks have left every chain, and the caller must look at the chain again.
     */
    boolean tryPin() {
        while (true) {
            int current = pins.get();
            if (current < 0) {
                return false;
            }
            if (pins.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void unpin() {
        if (pins.decrementAndGet() == RETIRED) {
            closeQuietly();
        }
    }

    /**
     * No more pins from now on; the channel closes now if nobody holds one, otherwise when the last
     * holder lets go. Returns whether it closed now.
     */
    boolean retire() throws IOException {
        int before = pins.getAndUpdate(current -> current | RETIRED);
        if (before == 0) {
            io.close();
            return true;
        }
        return false;
    }

    boolean retired() {
        return pins.get() < 0;
    }

    private void closeQuietly() {
        try {
            io.close();
        } catch (IOException ignored) {
            // A read-side close of a file that is retired (deleted or the instance closing): nothing to lose.
        }
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
        int started = startFlush();
        IOException failure = null;
        try {
            if (started != NOTHING_TO_FORCE) {
                force();
            }
            return started != NOTHING_TO_FORCE;
        } catch (IOException e) {
            failure = e;
            throw e;
        } finally {
            finishFlush(started, failure);
        }
    }

    /** {@link #startFlush()}: no force needed. */
    static final int NOTHING_TO_FORCE = 0;
    /** {@link #startFlush()}: force; the file was dirty (and must be marked again if the force fails). */
    static final int FORCE_DIRTY = 1;
    /** {@link #startFlush()}: force; clean, but another flush of it may still be forcing. */
    static final int FORCE_OVERLAPPING = 2;

    /**
     * The first half of {@link #flushIfDirty()}, for flushing several files in one go: registers the
     * flush and clears the flag. The caller forces the file unless this returns
     * {@link #NOTHING_TO_FORCE}, then must call {@link #finishFlush} whatever happened.
     */
    int startFlush() {
        flushesInFlight.incrementAndGet();
        boolean wasDirty = dirty.getAndSet(false);
        if (wasDirty) {
            return FORCE_DIRTY;
        }
        return flushesInFlight.get() > 1 ? FORCE_OVERLAPPING : NOTHING_TO_FORCE;
    }

    /** The second half: a failed force leaves the file dirty, so nothing pretends its data is safe. */
    void finishFlush(int started, IOException failure) {
        if (failure != null && started == FORCE_DIRTY) {
            dirty.set(true);
        }
        flushesInFlight.decrementAndGet();
    }

    private void force() throws IOException {
        try {
            io.force();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    IOException failed(IOException e) {
        return new IOException("fsync of " + io.path() + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return io.path().getFileName().toString();
    }
}
