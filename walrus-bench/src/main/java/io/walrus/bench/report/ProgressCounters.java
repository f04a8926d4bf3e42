package io.walrus.bench.report;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running totals of writes and payload bytes, one pair per writer so writers never contend. Each
 * writer is the only one to store its slots; the monitor only reads them.
 */
public final class ProgressCounters {
    /** Longs between two writers' slots: 128 bytes, past the cache line and its prefetched neighbour. */
    private static final int STRIDE = 16;
    private static final int WRITES = 0;
    private static final int BYTES = 1;

    private final int writers;
    private final AtomicLongArray slots;

    public ProgressCounters(int writers) {
        this.writers = writers;
        this.slots = new AtomicLongArray((writers + 1) * STRIDE);
    }

    /** Called by writer {@code writer} only, after each append. */
    public void add(int writer, long writes, long bytes) {
        int base = (writer + 1) * STRIDE;
        // Opaque stores: one writer per slot needs no read-modify-write and no fence, only that the
        // monitor eventually sees the value.
        slots.setOpaque(base + WRITES, slots.getPlain(base + WRITES) + writes);
        slots.setOpaque(base + BYTES, slots.getPlain(base + BYTES) + bytes);
    }

    public long totalWrites() {
        return sum(WRITES);
    }

    public long totalBytes() {
        return sum(BYTES);
    }

    private long sum(int offset) {
        long total = 0;
        for (int writer = 0; writer < writers; writer++) {
            total += slots.getOpaque((writer + 1) * STRIDE + offset);
        }
        return total;
    }
}
