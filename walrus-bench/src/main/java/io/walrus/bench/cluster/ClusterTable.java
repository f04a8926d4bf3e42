package io.walrus.bench.cluster;

import io.walrus.bench.report.CsvFile;
import io.walrus.bench.chart.ComparisonChart;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench-cluster}'s result: for each kind of append (single, batch) a row per target, every
 * figure also a ratio to the Walrus cluster's from the same run, and for each peer whether the
 * Walrus cluster met its goals against it: at least {@link #LEAD_GOAL} times the peer's writes/s, and
 * at most {@link #P99_GOAL} times its p99.
 */
final class ClusterTable {
    static final String EMBEDDED = "embedded";
    static final String CLUSTER = "cluster";
    static final double LEAD_GOAL = 1.5;
    static final double P99_GOAL = 0.5;
    static final String CSV_HEADER = "appends,target,status,writes_per_second,bytes_per_second,p50_ns,p99_ns,"
            + "writes_vs_cluster,p99_vs_cluster,storage_bytes_per_payload_byte,walrus_lead,walrus_p99_share,"
            + "lead_goal,p99_goal,goal_met";

    private final Map<String, Map<String, Row>> kinds = new LinkedHashMap<>();

    /** A row for each of {@code targets} (which hold {@link #CLUSTER}) under each of {@code kinds}. */
    ClusterTable(List<String> kinds, List<String> targets) {
        if (!targets.contains(CLUSTER)) {
            throw new IllegalArgumentException("the targets " + targets + " have no '" + CLUSTER
                    + "' row for the ratios to be taken to");
        }
        for (String kind : kinds) {
            Map<String, Row> rows = new LinkedHashMap<>();
            for (String target : targets) {
                rows.put(target, new Row(target));
            }
            this.kinds.put(kind, rows);
        }
    }

    List<String> kinds() {
        return List.copyOf(kinds.keySet());
    }

    /**
     * {@code target}'s phase of {@code kind}, with the bytes its processes wrote to storage meanwhile
     * (-1: not measured).
     */
    void add(String kind, String target, PhaseSummary phase, long storageBytes) {
        Row row = row(kind, target);
        row.phase = phase;
        row.storageBytes = storageBytes;
    }

    /** The target did not run or failed under {@code kind}: no figures, only {@code reason}. */
    void markFailed(String kind, String target, String reason) {
        row(kind, target).status = reason;
    }

    Row row(String kind, String target) {
        Map<String, Row> rows = kinds.get(kind);
        Row row = rows == null ? null : rows.get(target);
        if (row == null) {
            throw new IllegalArgumentException("no row '" + target + "' for " + kind + " appends in this table");
        }
        return row;
    }

    private Row reference(String kind) {
        return row(kind, CLUSTER);
    }

    List<String> lines(String kind) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-12s %11s %9s %8s %9s %9s %9s %9s %11s %10s  %s", "target", "writes/s",
                "/cluster", "MB/s", "p50", "p99", "/cluster", "disk B/B", "walrus lead", "walrus p99", "goal"));
        for (Row row : kinds.get(kind).values()) {
            if (!row.ran()) {
                lines.add(String.format(Locale.ROOT, "%-12s %s", row.name, row.statusOrNotRun()));
                continue;
            }
            boolean peer = isPeer(row) && reference(kind).ran();
            LatencyHistogram latency = row.phase.latency();
            lines.add(String.format(Locale.ROOT, "%-12s %,11.0f %9s %8.1f %9s %9s %9s %9s %11s %10s  %s", row.name,
                    row.phase.writesPerSecond(), ratio(writesRatio(kind, row)), row.phase.megabytesPerSecond(),
                    LatencyHistogram.format(latency.percentileNanos(50)),
                    LatencyHistogram.format(latency.percentileNanos(99)), ratio(p99Ratio(kind, row)),
                    row.storageBytes < 0 ? "-" : String.format(Locale.ROOT, "%.2f", row.storagePerPayloadByte()),
                    peer ? ratio(lead(kind, row)) : "-", peer ? ratio(walrusP99Share(kind, row)) : "-",
                    peer ? goalText(kind, row) : "-"));
        }
        return lines;
    }

    /**
     * {@code lead >= 1.50x met, p99 <= 0.50x MISSED}: the Walrus cluster's writes/s over the peer's
     * and its p99 over the peer's, against the goals.
     */
    String goalText(String kind, Row row) {
        return String.format(Locale.ROOT, "lead >= %.2fx %s, p99 <= %.2fx %s", LEAD_GOAL,
                leadMet(kind, row) ? "met" : "MISSED", P99_GOAL, p99Met(kind, row) ? "met" : "MISSED");
    }

    /** Writes {@code <directory>/<stem>.csv} and returns its path. */
    Path writeCsv(Path directory, String stem) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String kind : kinds.keySet()) {
            for (Row row : kinds.get(kind).values()) {
                lines.add(csvLine(kind, row));
            }
        }
        return CsvFile.write(directory, stem, CSV_HEADER, lines);
    }

    String csvLine(String kind, Row row) {
        if (!row.ran()) {
            return quote(kind) + "," + row.name + "," + quote(row.statusOrNotRun()) + ",,,,,,,,,,,,";
        }
        boolean peer = isPeer(row) && reference(kind).ran();
        LatencyHistogram latency = row.phase.latency();
        return String.format(Locale.ROOT, "%s,%s,ok,%.0f,%.0f,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s", quote(kind), row.name,
                row.phase.writesPerSecond(), row.phase.megabytesPerSecond() * 1e6, latency.percentileNanos(50),
                latency.percentileNanos(99), csvNumber(writesRatio(kind, row)), csvNumber(p99Ratio(kind, row)),
                row.storageBytes < 0 ? "" : csvNumber(row.storagePerPayloadByte()),
                peer ? csvNumber(lead(kind, row)) : "", peer ? csvNumber(walrusP99Share(kind, row)) : "",
                peer ? String.format(Locale.ROOT, "%.2f", LEAD_GOAL) : "",
                peer ? String.format(Locale.ROOT, "%.2f", P99_GOAL) : "",
                peer ? Boolean.toString(leadMet(kind, row) && p99Met(kind, row)) : "");
    }

    /**
     * The bars of {@code kind}'s chart: every replicated target that ran. The embedded Walrus, 50 to
     * 100 times faster here, would flatten the others to the axis; its figure is in the table.
     */
    List<ComparisonChart.Bar> bars(String kind) {
        List<ComparisonChart.Bar> bars = new ArrayList<>();
        for (Row row : kinds.get(kind).values()) {
            if (row.ran() && !row.name.equals(EMBEDDED)) {
                bars.add(new ComparisonChart.Bar(row.name, row.phase.writesPerSecond()));
            }
        }
        return bars;
    }

    /** The row's writes/s over the Walrus cluster's; NaN where the cluster has no figures. */
    double writesRatio(String kind, Row row) {
        Row reference = reference(kind);
        return reference.ran() ? row.phase.writesPerSecond() / reference.phase.writesPerSecond() : Double.NaN;
    }

    /** The row's p99 over the Walrus cluster's; NaN where the cluster has no figures. */
    double p99Ratio(String kind, Row row) {
        Row reference = reference(kind);
        return reference.ran() ? (double) p99(row) / p99(reference) : Double.NaN;
    }

    /** The Walrus cluster's writes/s over the peer's: above 1, Walrus is ahead. */
    double lead(String kind, Row peer) {
        return reference(kind).phase.writesPerSecond() / peer.phase.writesPerSecond();
    }

    /** The Walrus cluster's p99 over the peer's: below 1, Walrus answers sooner. */
    double walrusP99Share(String kind, Row peer) {
        return (double) p99(reference(kind)) / p99(peer);
    }

    private boolean leadMet(String kind, Row peer) {
        return lead(kind, peer) >= LEAD_GOAL;
    }

    private boolean p99Met(String kind, Row peer) {
        return walrusP99Share(kind, peer) <= P99_GOAL;
    }

    /** Rows of another replicated log: not the embedded Walrus, nor a Walrus cluster of another layout. */
    private static boolean isPeer(Row row) {
        return !row.name.equals(CLUSTER) && !row.name.equals(EMBEDDED) && !row.name.startsWith(CLUSTER + "-");
    }

    private static long p99(Row row) {
        return Math.max(row.phase.latency().percentileNanos(99), 1);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2fx", value);
    }

    private static String csvNumber(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** One target's phase of one kind of append, or why it has none. */
    static final class Row {
        final String name;
        private PhaseSummary phase;
        private long storageBytes = -1;
        private String status;

        Row(String name) {
            this.name = name;
        }

        boolean ran() {
            return status == null && phase != null && phase.writes() > 0;
        }

        PhaseSummary phase() {
            return phase;
        }

        String statusOrNotRun() {
            return status == null ? "not run" : status;
        }

        /** Bytes its processes wrote to storage per payload byte appended; NaN where not measured. */
        double storagePerPayloadByte() {
            return storageBytes < 0 || phase.payloadBytes() == 0 ? Double.NaN
                    : (double) storageBytes / phase.payloadBytes();
        }
    }
}
