package io.walrus.bench.workload;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One writer's payloads, generated before the clock starts so the timed loop spends nothing on
 * random numbers: random bytes (incompressible) of a random length in [{@link #MIN_BYTES},
 * {@link #MAX_BYTES}], as the original benchmark writes. The same seed gives the same payloads, so
 * every phase of a run writes identical data.
 */
public final class PayloadPool {
    public static final int MIN_BYTES = 500;
    public static final int MAX_BYTES = 1024;
    /** Enough distinct payloads that lengths vary like random ones; a power of two to wrap with a mask. */
    private static final int MIN_POOL_SIZE = 1024;
    /** Distinct batches handed out in turn in batch mode. */
    private static final int BATCH_COUNT = 16;

    private final byte[][] payloads;
    private final int mask;
    private final Batch[] batches;
    private int next;
    private int nextBatch;

    /** A batch of payloads ready to append, with its payload size summed beforehand. */
    public record Batch(List<byte[]> entries, long bytes) {
    }

    /**
     * @param seed      the generator's seed; use the writer's index
     * @param batchSize entries per batch in batch mode, or 0 for single appends
     */
    public PayloadPool(long seed, int batchSize) {
        this(seed, batchSize, MIN_BYTES, MAX_BYTES);
    }

    /** As {@link #PayloadPool(long, int)}, with lengths in [{@code minBytes}, {@code maxBytes}]. */
    public PayloadPool(long seed, int batchSize, int minBytes, int maxBytes) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = smallestPowerOfTwoAtLeast(Math.max(MIN_POOL_SIZE, 2 * batchSize));
        payloads = new byte[size][];
        for (int i = 0; i < size; i++) {
            payloads[i] = new byte[random.nextInt(minBytes, maxBytes + 1)];
            random.nextBytes(payloads[i]);
        }
        mask = size - 1;
        batches = batchSize > 0 ? makeBatches(batchSize) : new Batch[0];
    }

    /** The next payload, round the pool. Not thread-safe: one pool per writer. */
    public byte[] next() {
        return payloads[next++ & mask];
    }

    /** The next prepared batch, round the batches. Not thread-safe: one pool per writer. */
    public Batch nextBatch() {
        Batch batch = batches[nextBatch];
        nextBatch = (nextBatch + 1) % batches.length;
        return batch;
    }

    /** Consecutive windows over the pool, so batches differ in size and content like random ones. */
    private Batch[] makeBatches(int batchSize) {
        Batch[] made = new Batch[BATCH_COUNT];
        for (int b = 0; b < BATCH_COUNT; b++) {
            byte[][] entries = new byte[batchSize][];
            long bytes = 0;
            for (int i = 0; i < batchSize; i++) {
                entries[i] = payloads[(b * batchSize + i) & mask];
                bytes += entries[i].length;
            }
            made[b] = new Batch(List.of(entries), bytes);
        }
        return made;
    }

    private static int smallestPowerOfTwoAtLeast(int n) {
        return Integer.highestOneBit(n * 2 - 1);
    }
}
