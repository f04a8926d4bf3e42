package io.walrus.bench.compare;

import io.walrus.bench.report.CsvFile;
import io.walrus.bench.chart.ComparisonChart;
import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code bench-compare}'s result: a row per contender, Walrus first, each figure also given as a
 * ratio to Walrus's from the same run, and whether Walrus met its goal against the contender. With
 * several rounds a row sums its phases (writes over time, merged latencies), as {@code writes} does.
 */
final class ComparisonTable {
    static final String CSV_HEADER = "target,status,writes_per_second,bytes_per_second,p50_ns,p99_ns,"
            + "writes_vs_walrus,mb_vs_walrus,p99_vs_walrus,walrus_lead,lead_goal,goal_met";

    private final FsyncMode.Kind fsync;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    /** A table for {@code names} in that order; the first is the one every ratio is taken to. */
    ComparisonTable(FsyncMode.Kind fsync, List<String> names) {
        this.fsync = fsync;
        for (String name : names) {
            rows.put(name, new Row(name));
        }
    }

    /** Adds a phase to the row its label names. */
    void add(PhaseSummary phase) {
        row(phase.label()).add(phase);
    }

    /** The contender could not be loaded or opened: it gets no figures, only {@code reason}. */
    void markUnavailable(String name, String reason) {
        row(name).status = "unavailable: " + reason;
    }

    /** The contender started but a phase failed: its figures would not be comparable. */
    void markFailed(String name, String reason) {
        row(name).status = "failed: " + reason;
    }

    /** Whether {@code name} is out of the comparison (unavailable or failed), so later rounds skip it. */
    boolean isOut(String name) {
        return row(name).status != null;
    }

    private Row row(String name) {
        Row row = rows.get(name);
        if (row == null) {
            throw new IllegalArgumentException("no contender named '" + name + "' in this comparison");
        }
        return row;
    }

    private Row reference() {
        return rows.values().iterator().next();
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        String versus = "/" + reference().name;
        lines.add(String.format(Locale.ROOT, "%-12s %13s %8s %9s %8s %10s %8s %11s  %s",
                "target", "writes/s", versus, "MB/s", versus, "p99", versus, "walrus lead", "goal"));
        for (Row row : rows.values()) {
            if (!row.ran()) {
                lines.add(String.format(Locale.ROOT, "%-12s %s", row.name, row.statusOrNotRun()));
                continue;
            }
            lines.add(String.format(Locale.ROOT, "%-12s %,13.0f %7.2fx %9.1f %7.2fx %10s %7.2fx %11s  %s",
                    row.name, row.writesPerSecond(), writesRatio(row), row.megabytesPerSecond(), megabytesRatio(row),
                    LatencyHistogram.format(row.latency.percentileNanos(99)), p99Ratio(row),
                    row == reference() ? "-" : String.format(Locale.ROOT, "%.2fx", lead(row)), goalText(row)));
        }
        return lines;
    }

    void print(PrintStream out) {
        out.println("== compare ==");
        lines().forEach(out::println);
        out.println("/" + reference().name + ": the row's figure over " + reference().name + "'s; walrus lead: "
                + reference().name + "'s writes/s over the row's, the figure the goals are set in");
    }

    /** Writes {@code <directory>/<stem>.csv} and returns its path. */
    Path writeCsv(Path directory, String stem) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Row row : rows.values()) {
            lines.add(csvLine(row));
        }
        return CsvFile.write(directory, stem, CSV_HEADER, lines);
    }

    String csvLine(Row row) {
        if (!row.ran()) {
            return row.name + "," + quote(row.statusOrNotRun()) + ",,,,,,,,,,";
        }
        OptionalDouble goal = ComparisonGoals.leadGoal(fsync, row.name);
        return String.format(Locale.ROOT, "%s,ok,%.0f,%.0f,%d,%d,%.3f,%.3f,%.3f,%s,%s,%s", row.name,
                row.writesPerSecond(), row.megabytesPerSecond() * 1e6, row.latency.percentileNanos(50),
                row.latency.percentileNanos(99), writesRatio(row), megabytesRatio(row), p99Ratio(row),
                row == reference() ? "" : String.format(Locale.ROOT, "%.3f", lead(row)),
                goal.isPresent() ? String.format(Locale.ROOT, "%.2f", goal.getAsDouble()) : "",
                goal.isPresent() ? Boolean.toString(lead(row) >= goal.getAsDouble()) : "");
    }

    /** The bars of the chart: every contender that ran. */
    List<ComparisonChart.Bar> bars() {
        List<ComparisonChart.Bar> bars = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.ran()) {
                bars.add(new ComparisonChart.Bar(row.name, row.writesPerSecond()));
            }
        }
        return bars;
    }

    /** {@code >= 1.50x met}, {@code >= 1.50x MISSED}, or {@code -} where there is no goal. */
    String goalText(Row row) {
        OptionalDouble goal = ComparisonGoals.leadGoal(fsync, row.name);
        if (goal.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, ">= %.2fx %s", goal.getAsDouble(),
                lead(row) >= goal.getAsDouble() ? "met" : "MISSED");
    }

    double writesRatio(Row row) {
        return row.writesPerSecond() / reference().writesPerSecond();
    }

    double megabytesRatio(Row row) {
        return row.megabytesPerSecond() / reference().megabytesPerSecond();
    }

    double p99Ratio(Row row) {
        return (double) Math.max(row.latency.percentileNanos(99), 1)
                / Math.max(reference().latency.percentileNanos(99), 1);
    }

    /** Walrus's writes/s over the row's: above 1, Walrus is ahead. */
    double lead(Row row) {
        return reference().writesPerSecond() / row.writesPerSecond();
    }

    Row rowNamed(String name) {
        return row(name);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** One contender's phases summed, or why it has none. */
    static final class Row {
        private final String name;
        private final LatencyHistogram latency = new LatencyHistogram();
        private long writes;
        private long bytes;
        private long elapsedNanos;
        private String status;

        Row(String name) {
            this.name = name;
        }

        void add(PhaseSummary phase) {
            writes += phase.writes();
            bytes += phase.payloadBytes();
            elapsedNanos += phase.elapsedNanos();
            latency.addAll(phase.latency());
        }

        boolean ran() {
            return status == null && elapsedNanos > 0;
        }

        String statusOrNotRun() {
            return status == null ? "not run" : status;
        }

        double writesPerSecond() {
            return writes / seconds();
        }

        double megabytesPerSecond() {
            return bytes / seconds() / 1e6;
        }

        private double seconds() {
            return Math.max(elapsedNanos, 1) / 1e9;
        }
    }
}
