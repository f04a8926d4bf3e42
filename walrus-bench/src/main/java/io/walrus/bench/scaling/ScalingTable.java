package io.walrus.bench.scaling;

import io.walrus.bench.chart.ScalingChart;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sweep's result: one row per thread count, with the speed-up against the first point so the
 * table reads as "what did the extra writers buy".
 */
final class ScalingTable {
    static final String CSV_HEADER = "threads,writes_per_second,bytes_per_second,total_writes,total_bytes,"
            + "elapsed_seconds,p50_ns,p99_ns,max_ns,speedup";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private record Point(int threads, PhaseSummary summary) {
    }

    private final List<Point> points = new ArrayList<>();

    void add(int threads, PhaseSummary summary) {
        points.add(new Point(threads, summary));
    }

    /** Throughput of {@code point} over the first point's; 1.00 for the first. */
    private double speedup(Point point) {
        return point.summary().writesPerSecond() / points.getFirst().summary().writesPerSecond();
    }

    /** The sweep as chart points: writes a second at each thread count. */
    List<ScalingChart.Point> points() {
        return points.stream().map(p -> new ScalingChart.Point(p.threads(), p.summary().writesPerSecond())).toList();
    }

    /** The table under a {@code == <benchmark> ==} heading. */
    void print(String benchmark, PrintStream out) {
        out.println("== " + benchmark + " ==");
        String latencyUnit = points.isEmpty() ? "append" : points.getFirst().summary().latencyUnit();
        out.println(String.format(Locale.ROOT, "%7s %14s %9s %10s %8s   (p99 per %s)", "threads", "writes/s", "MB/s",
                "p99", "speed-up", latencyUnit));
        for (Point point : points) {
            PhaseSummary summary = point.summary();
            out.println(String.format(Locale.ROOT, "%7d %,14.0f %9.1f %10s %7.2fx", point.threads(),
                    summary.writesPerSecond(), summary.megabytesPerSecond(),
                    LatencyHistogram.format(summary.latency().percentileNanos(99)),
                    speedup(point)));
        }
    }

    /** Writes {@code <directory>/<benchmark>-<time>.csv} and returns its path. */
    Path writeCsv(Path directory, String benchmark) throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(benchmark + "-" + LocalDateTime.now().format(FILE_TIME) + ".csv");
        try (BufferedWriter writer = Files.newBufferedWriter(path)) {
            writer.write(CSV_HEADER);
            writer.newLine();
            for (Point point : points) {
                PhaseSummary summary = point.summary();
                writer.write(String.format(Locale.ROOT, "%d,%.0f,%.0f,%d,%d,%.3f,%d,%d,%d,%.3f", point.threads(),
                        summary.writesPerSecond(), summary.megabytesPerSecond() * 1e6, summary.writes(),
                        summary.payloadBytes(), summary.seconds(), summary.latency().percentileNanos(50),
                        summary.latency().percentileNanos(99), summary.latency().maxNanos(), speedup(point)));
                writer.newLine();
            }
        }
        return path;
    }
}
