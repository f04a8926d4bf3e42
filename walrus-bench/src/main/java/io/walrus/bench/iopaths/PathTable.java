package io.walrus.bench.iopaths;

import io.walrus.bench.report.PhaseSummary;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The phases of one run side by side, each as a ratio to the run's reference phase. A label run in
 * several rounds is summed over them (entries and seconds), so each ratio weighs every round.
 */
final class PathTable {
    private final String reference;
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    PathTable(String reference) {
        this.reference = reference;
    }

    void add(PhaseSummary phase) {
        long[] total = totals.computeIfAbsent(phase.label(), label -> new long[3]);
        total[0] += phase.writes();
        total[1] += phase.payloadBytes();
        total[2] += phase.elapsedNanos();
    }

    void print(String title, PrintStream out) {
        double base = perSecond(totals.get(reference), 0);
        out.println();
        out.println(title + " (ratios to " + reference + ", same run, summed over rounds)");
        out.printf(Locale.ROOT, "%-22s %14s %10s %10s%n", "phase", "entries/s", "MB/s", "ratio");
        for (Map.Entry<String, long[]> row : totals.entrySet()) {
            double rate = perSecond(row.getValue(), 0);
            out.printf(Locale.ROOT, "%-22s %,14.0f %10.1f %9.2fx%n", row.getKey(), rate,
                    perSecond(row.getValue(), 1) / 1e6, rate / base);
        }
    }

    private static double perSecond(long[] total, int index) {
        return total == null ? Double.NaN : total[index] / (total[2] / 1e9);
    }
}
