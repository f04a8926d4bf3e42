package io.walrus.bench.reads;

import io.walrus.Entry;
import io.walrus.Walrus;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.ProgressCounters;
import io.walrus.bench.workload.PhaseClock;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One reader thread: consumes its topic with checkpointing reads until the deadline or until the
 * topic is drained, timing each call. A drained reader stops at once: polling an empty topic would
 * only add empty reads to the latency figures.
 */
final class ReaderLoop implements Runnable {
    /** The original's batch read size. */
    static final long BATCH_MAX_BYTES = 1L << 20;

    private final int reader;
    private final Walrus walrus;
    private final String topic;
    private final boolean batched;
    private final ProgressCounters counters;
    private final LatencyHistogram latency;
    private final PhaseClock clock;
    private volatile boolean drained;

    ReaderLoop(int reader, Walrus walrus, String topic, boolean batched, ProgressCounters counters,
               LatencyHistogram latency, PhaseClock clock) {
        this.reader = reader;
        this.walrus = walrus;
        this.topic = topic;
        this.batched = batched;
        this.counters = counters;
        this.latency = latency;
        this.clock = clock;
    }

    /** Whether this reader found its topic empty before the deadline. */
    boolean drained() {
        return drained;
    }

    @Override
    public void run() {
        try {
            long deadline = clock.awaitStart();
            if (batched) {
                readBatchesUntil(deadline);
            } else {
                readUntil(deadline);
            }
        } catch (Throwable failure) {
            clock.fail(failure);
        }
    }

    private void readUntil(long deadline) throws IOException {
        long before = System.nanoTime();
        while (before - deadline < 0 && !clock.failed()) {
            Optional<Entry> entry = walrus.readNext(topic, true);
            long after = System.nanoTime();
            if (entry.isEmpty()) {
                drained = true; // the empty read is not timed: it reads nothing
                return;
            }
            latency.record(after - before);
            counters.add(reader, 1, entry.get().data().length);
            before = System.nanoTime();
        }
    }

    private void readBatchesUntil(long deadline) throws IOException {
        long before = System.nanoTime();
        while (before - deadline < 0 && !clock.failed()) {
            List<Entry> entries = walrus.batchReadForTopic(topic, BATCH_MAX_BYTES, true);
            long after = System.nanoTime();
            if (entries.isEmpty()) {
                drained = true;
                return;
            }
            latency.record(after - before);
            long bytes = 0;
            for (Entry entry : entries) {
                bytes += entry.data().length;
            }
            counters.add(reader, entries.size(), bytes);
            before = System.nanoTime();
        }
    }
}
