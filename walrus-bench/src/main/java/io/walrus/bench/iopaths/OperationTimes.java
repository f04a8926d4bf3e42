package io.walrus.bench.iopaths;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/** The times of one way of doing an operation, round after round: median, p90 and mean. */
final class OperationTimes {
    private final String label;
    private final long[] nanos;
    private int count;

    OperationTimes(String label, int rounds) {
        this.label = label;
        this.nanos = new long[rounds];
    }

    void add(long took) {
        nanos[count++] = took;
    }

    double medianNanos() {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One line: the three figures in microseconds, and the median's ratio to {@code baseline}'s. */
    void print(PrintStream out, OperationTimes baseline) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "  %-36s median %9.1f us   p90 %9.1f us   mean %9.1f us   %5.2fx%n", label,
                sorted[sorted.length / 2] / 1e3, sorted[sorted.length * 9 / 10] / 1e3,
                Arrays.stream(sorted).average().orElse(0) / 1e3, medianNanos() / baseline.medianNanos());
    }
}
