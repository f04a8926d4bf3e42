package io.walrus.bench.report;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Append latencies in nanoseconds. Each writer records into its own (recording neither allocates
 * nor synchronises); the phase merges them once the writers have stopped.
 */
public final class LatencyHistogram {
    /** Longer calls are recorded as this: a minute is already a stall worth reading as "max". */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);

    /** Called on the hot path: no allocation, no lock. */
    public void record(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, HIGHEST_NANOS)));
    }

    /** Adds everything {@code other} recorded; not while its writer is still recording. */
    public void addAll(LatencyHistogram other) {
        histogram.add(other.histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public long percentileNanos(double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    public long maxNanos() {
        return histogram.getMaxValue();
    }

    /** {@code 850 ns}, {@code 12.3 us}, {@code 4.56 ms}, {@code 1.20 s}: three figures, ASCII only. */
    public static String format(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return threeFigures(nanos / 1e3) + " us";
        }
        if (nanos < 1_000_000_000) {
            return threeFigures(nanos / 1e6) + " ms";
        }
        return threeFigures(nanos / 1e9) + " s";
    }

    private static String threeFigures(double value) {
        String pattern = value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
