package io.walrus.bench.readcompare;

import io.walrus.bench.workload.PhaseClock;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * One timed read of a row: a reader thread per topic, released together, each reading until its
 * topic is drained, it has made {@code maxCalls} reads (a peek never drains), or the deadline passes.
 * Each thread also counts the heap bytes it allocated while reading (HotSpot's per-thread
 * allocation counter), so a row can say what a read allocates.
 */
final class TimedRead {
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What the readers did, summed. */
    record Result(long entries, long calls, long bytes, long elapsedNanos, long allocatedBytes, long returnedBytes,
                  boolean drained) {
    }

    private TimedRead() {
    }

    static Result run(String label, ReadTarget target, int topics, long maxCalls, long durationNanos)
            throws IOException {
        PhaseClock clock = new PhaseClock();
        Loop[] loops = new Loop[topics];
        Thread[] threads = new Thread[topics];
        for (int topic = 0; topic < topics; topic++) {
            loops[topic] = new Loop(target.reader(topic), maxCalls, clock);
        }
        for (int topic = 0; topic < topics; topic++) {
            threads[topic] = Thread.ofPlatform().name(label + "-reader-" + topic).daemon().start(loops[topic]);
        }
        long start = clock.start(durationNanos);
        long end = clock.joinAll(threads, start + durationNanos + STOP_GRACE_NANOS, STOP_GRACE_NANOS);
        if (clock.failed()) {
            throw new IOException(label + ": a reader failed: " + clock.failure(), clock.failure());
        }
        long entries = 0;
        long calls = 0;
        long bytes = 0;
        long allocated = 0;
        long returned = 0;
        boolean drained = true;
        for (Loop loop : loops) {
            entries += loop.entries;
            calls += loop.calls;
            bytes += loop.reader.bytes();
            allocated += loop.allocated;
            returned += loop.reader.returnedBytes();
            drained &= loop.drained;
        }
        return new Result(entries, calls, bytes, end - start, allocated, returned, drained);
    }

    private static final class Loop implements Runnable {
        final ReadTarget.Reader reader;
        private final long maxCalls;
        private final PhaseClock clock;
        // Written by the reader thread, read after it is joined.
        long entries;
        long calls;
        long allocated;
        boolean drained;

        Loop(ReadTarget.Reader reader, long maxCalls, PhaseClock clock) {
            this.reader = reader;
            this.maxCalls = maxCalls;
            this.clock = clock;
        }

        @Override
        public void run() {
            try {
                long deadline = clock.awaitStart();
                long before = THREADS.getCurrentThreadAllocatedBytes();
                while (calls < maxCalls && !clock.failed() && System.nanoTime() - deadline < 0) {
                    int read = reader.read();
                    if (read == 0) {
                        drained = true;
                        break;
                    }
                    entries += read;
                    calls++;
                }
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            } catch (Throwable failure) {
                clock.fail(failure);
            }
        }
    }
}
