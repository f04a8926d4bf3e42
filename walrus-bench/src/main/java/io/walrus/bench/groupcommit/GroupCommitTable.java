package io.walrus.bench.groupcommit;

import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The group-commit sweep's result: per writer count, the rounds summed, throughput against the plain
 * loop's one-writer rate and against Walrus's own one-writer rate, appends per fsync, and the issue's
 * two targets checked at the end.
 */
final class GroupCommitTable {
    /** The plain loop's key among the writer counts. */
    static final int LOOP = 0;
    /** One writer must reach this share of the plain loop: group commit may not tax a lone writer. */
    static final double ONE_WRITER_TARGET = 0.90;
    /** Sixteen writers must reach this multiple of one writer: flushes must be shared. */
    static final double SIXTEEN_WRITER_TARGET = 8.0;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A row: its rounds summed. */
    private static final class Row {
        long writes;
        long nanos;
        long fsyncs;
        final LatencyHistogram latency = new LatencyHistogram();

        void add(PhaseSummary summary, long phaseFsyncs) {
            writes += summary.writes();
            nanos += summary.elapsedNanos();
            fsyncs += phaseFsyncs;
            latency.addAll(summary.latency());
        }

        double rate() {
            return writes / (Math.max(nanos, 1) / 1e9);
        }
    }

    private final Map<Integer, Row> rows = new TreeMap<>();

    void addLoop(PhaseSummary summary) {
        add(LOOP, summary, summary.writes());
    }

    void add(int writers, PhaseSummary summary, long fsyncs) {
        rows.computeIfAbsent(writers, w -> new Row()).add(summary, fsyncs);
    }

    private double rate(int writers) {
        Row row = rows.get(writers);
        return row == null ? Double.NaN : row.rate();
    }

    void print(PrintStream out) {
        double loop = rate(LOOP);
        double one = rate(1);
        out.println("== group commit (sync-each) ==");
        out.println(String.format(Locale.ROOT, "plain write+fdatasync loop, 1 writer: %,.0f writes/s, p50 %s",
                loop, LatencyHistogram.format(rows.get(LOOP).latency.percentileNanos(50))));
        out.println(String.format(Locale.ROOT, "%7s %12s %8s %11s %13s %10s %10s", "writers", "writes/s", "vs loop",
                "vs 1 writer", "appends/fsync", "p50", "p99"));
        for (Map.Entry<Integer, Row> entry : rows.entrySet()) {
            if (entry.getKey() == LOOP) {
                continue;
            }
            Row row = entry.getValue();
            String versusOne = Double.isNaN(one) ? "-" : String.format(Locale.ROOT, "%.2fx", row.rate() / one);
            out.println(String.format(Locale.ROOT, "%7d %,12.0f %7.2fx %11s %13.1f %10s %10s", entry.getKey(),
                    row.rate(), row.rate() / loop, versusOne, (double) row.writes / Math.max(row.fsyncs, 1),
                    LatencyHistogram.format(row.latency.percentileNanos(50)),
                    LatencyHistogram.format(row.latency.percentileNanos(99))));
        }
        if (!Double.isNaN(one)) {
            out.println(String.format(Locale.ROOT, "target: 1 writer >= %.2fx the loop: %.2fx, %s", ONE_WRITER_TARGET,
                    one / loop, one / loop >= ONE_WRITER_TARGET ? "met" : "MISSED"));
        }
        if (rows.containsKey(16) && !Double.isNaN(one)) {
            double sixteen = rate(16) / one;
            out.println(String.format(Locale.ROOT, "target: 16 writers >= %.0fx 1 writer: %.2fx, %s", SIXTEEN_WRITER_TARGET,
                    sixteen, sixteen >= SIXTEEN_WRITER_TARGET ? "met" : "MISSED"));
        }
    }

    Path writeCsv(Path directory, String benchmark) throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(benchmark + "-" + LocalDateTime.now().format(FILE_TIME) + ".csv");
        try (BufferedWriter writer = Files.newBufferedWriter(path)) {
            writer.write("writers,writes_per_second,vs_loop,vs_one_writer,appends_per_fsync,p50_ns,p99_ns");
            writer.newLine();
            for (Map.Entry<Integer, Row> entry : rows.entrySet()) {
                Row row = entry.getValue();
                writer.write(String.format(Locale.ROOT, "%s,%.0f,%.3f,%.3f,%.2f,%d,%d",
                        entry.getKey() == LOOP ? "loop" : entry.getKey().toString(), row.rate(), row.rate() / rate(LOOP),
                        row.rate() / rate(1), (double) row.writes / Math.max(row.fsyncs, 1),
                        row.latency.percentileNanos(50), row.latency.percentileNanos(99)));
                writer.newLine();
            }
        }
        return path;
    }
}
