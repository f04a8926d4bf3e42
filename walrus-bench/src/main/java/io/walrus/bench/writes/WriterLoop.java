package io.walrus.bench.writes;

import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.ProgressCounters;
import io.walrus.bench.target.WriteTarget;
import io.walrus.bench.workload.PayloadPool;
import io.walrus.bench.workload.PhaseClock;

import java.io.IOException;

/**
 * One writer thread: appends prepared payloads to its own stream until the deadline, timing each
 * call. The loop allocates nothing and shares nothing with other writers but the failure flag.
 */
final class WriterLoop implements Runnable {
    private final int writer;
    private final WriteTarget.Appender appender;
    private final PayloadPool payloads;
    private final boolean batched;
    private final ProgressCounters counters;
    private final LatencyHistogram latency;
    private final PhaseClock clock;

    WriterLoop(int writer, WriteTarget.Appender appender, PayloadPool payloads, boolean batched,
               ProgressCounters counters, LatencyHistogram latency, PhaseClock clock) {
        this.writer = writer;
        this.appender = appender;
        this.payloads = payloads;
        this.batched = batched;
        this.counters = counters;
        this.latency = latency;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            long deadline = clock.awaitStart();
            if (batched) {
                appendBatchesUntil(deadline);
            } else {
                appendUntil(deadline);
            }
        } catch (Throwable failure) {
            clock.fail(failure);
        }
    }

    private void appendUntil(long deadline) throws IOException {
        long before = System.nanoTime();
        while (before - deadline < 0 && !clock.failed()) {
            byte[] payload = payloads.next();
            appender.append(payload);
            long after = System.nanoTime();
            latency.record(after - before);
            counters.add(writer, 1, payload.length);
            // The next call is timed from here: bookkeeping between calls is not the target's latency.
            before = System.nanoTime();
        }
    }

    private void appendBatchesUntil(long deadline) throws IOException {
        long before = System.nanoTime();
        while (before - deadline < 0 && !clock.failed()) {
            PayloadPool.Batch batch = payloads.nextBatch();
            appender.appendBatch(batch.entries());
            long after = System.nanoTime();
            latency.record(after - before);
            counters.add(writer, batch.entries().size(), batch.bytes());
            before = System.nanoTime();
        }
    }
}
