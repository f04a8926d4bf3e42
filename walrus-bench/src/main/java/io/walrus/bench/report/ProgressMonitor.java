package io.walrus.bench.report;

import io.walrus.bench.report.DirtyPageProbe.DirtyPages;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints one line a second while a phase runs (the rate in that second, the running total and the
 * kernel's dirty pages) and adds the same figures to the phase's CSV. It runs on its own thread and
 * only reads the writers' counters, so watching costs the writers nothing.
 */
public final class ProgressMonitor {
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String label;
    private final String operation;
    private final ProgressCounters counters;
    private final CsvProgressLog csv;
    private final PrintStream out;
    private final DirtyPageProbe probe = new DirtyPageProbe();
    private volatile boolean stopped;
    private volatile IOException failure;
    private Thread thread;

    public ProgressMonitor(String label, ProgressCounters counters, CsvProgressLog csv, PrintStream out) {
        this(label, "writes", counters, csv, out);
    }

    /** {@code operation} names what the counters count, as a plural noun: {@code writes}, {@code reads}. */
    public ProgressMonitor(String label, String operation, ProgressCounters counters, CsvProgressLog csv,
                           PrintStream out) {
        this.label = label;
        this.operation = operation;
        this.counters = counters;
        this.csv = csv;
        this.out = out;
    }

    /**
     * Starts reporting for a phase that began at {@code startNanos} and ends {@code durationNanos}
     * later. Ticks fall on whole seconds from the start, plus one at the end when the duration is
     * not a whole number of seconds.
     */
    public void start(long startNanos, long durationNanos) {
        thread = Thread.ofPlatform().name(label + "-monitor").daemon()
                .start(() -> report(startNanos, durationNanos));
    }

    /** Waits for the last tick; call after the writers have stopped. */
    public void awaitEnd() throws IOException {
        join();
    }

    /** Stops before the end, for a phase cut short by a failure. */
    public void stop() throws IOException {
        stopped = true;
        LockSupport.unpark(thread);
        join();
    }

    private void join() throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the progress monitor", e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void report(long startNanos, long durationNanos) {
        long previousNanos = startNanos;
        long previousWrites = 0;
        long previousBytes = 0;
        for (long offset = TICK_NANOS; !stopped; offset += TICK_NANOS) {
            long tickNanos = startNanos + Math.min(offset, durationNanos);
            if (!parkUntil(tickNanos)) {
                return;
            }
            long now = System.nanoTime();
            long writes = counters.totalWrites();
            long bytes = counters.totalBytes();
            double seconds = (now - previousNanos) / 1e9;
            tick((now - startNanos) / 1e9, (writes - previousWrites) / seconds,
                    (bytes - previousBytes) / seconds, writes, bytes);
            previousNanos = now;
            previousWrites = writes;
            previousBytes = bytes;
            if (offset >= durationNanos) {
                return;
            }
        }
    }

    /** Sleeps until {@code deadlineNanos}; false if stopped first. */
    private boolean parkUntil(long deadlineNanos) {
        long remaining;
        while (!stopped && (remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
        return !stopped;
    }

    private void tick(double elapsedSeconds, double writesPerSecond, double bytesPerSecond, long writes, long bytes) {
        DirtyPages dirty = probe.read();
        out.println(String.format(Locale.ROOT, "[%s] %6.1fs %,12.0f %s/s %9.1f MB/s  total %,14d%s",
                label, elapsedSeconds, writesPerSecond, operation, bytesPerSecond / 1e6, writes, describe(dirty)));
        try {
            csv.row(System.currentTimeMillis(), elapsedSeconds, writesPerSecond, bytesPerSecond, writes, bytes, dirty);
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    private static String describe(DirtyPages dirty) {
        if (dirty == null) {
            return "";
        }
        return String.format(Locale.ROOT, "  dirty %,11d kB  writeback %,9d kB", dirty.dirtyKb(), dirty.writebackKb());
    }
}
