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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The group-commit sweep's result: per writer count, throughput against the plain loop's one-writer
 * rate and against Walrus's own one-writer rate, with the two targets checked at the end.
 */
final class GroupCommitTable {
    /** One writer must reach this share of the plain loop: group commit may not tax a lone writer. */
    static final double ONE_WRITER_TARGET = 0.90;
    /** Sixteen writers must reach this multiple of one writer: flushes must be shared. */
    static final double SIXTEEN_WRITER_TARGET = 8.0;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private record Point(int threads, PhaseSummary summary) {
    }

    private final List<Point> points = new ArrayList<>();

    void add(int threads, PhaseSummary summary) {
        points.add(new Point(threads, summary));
    }

    static double loopRate(PhaseSummary before, PhaseSummary after) {
        return (before.writesPerSecond() + after.writesPerSecond()) / 2;
    }

    private double oneWriterRate() {
        return points.stream().filter(p -> p.threads() == 1).findFirst()
                .map(p -> p.summary().writesPerSecond()).orElse(Double.NaN);
    }

    void print(PrintStream out, PhaseSummary loopBefore, PhaseSummary loopAfter) {
        double loop = loopRate(loopBefore, loopAfter);
        out.println("== group commit (sync-each) ==");
        out.println(String.format(Locale.ROOT, "plain write+fdatasync loop, 1 writer: %,.0f writes/s (before %,.0f, after %,.0f)",
                loop, loopBefore.writesPerSecond(), loopAfter.writesPerSecond()));
        out.println(String.format(Locale.ROOT, "%7s %12s %8s %11s %10s %10s", "writers", "writes/s", "vs loop",
                "vs 1 writer", "p50", "p99"));
        for (Point point : points) {
            PhaseSummary summary = point.summary();
            out.println(String.format(Locale.ROOT, "%7d %,12.0f %7.2fx %10.2fx %10s %10s", point.threads(),
                    summary.writesPerSecond(), summary.writesPerSecond() / loop,
                    summary.writesPerSecond() / oneWriterRate(),
                    LatencyHistogram.format(summary.latency().percentileNanos(50)),
                    LatencyHistogram.format(summary.latency().percentileNanos(99))));
        }
        double one = oneWriterRate() / loop;
        if (!Double.isNaN(one)) {
            out.println(String.format(Locale.ROOT, "target: 1 writer >= %.2fx the loop: %.2fx, %s", ONE_WRITER_TARGET,
                    one, one >= ONE_WRITER_TARGET ? "met" : "MISSED"));
        }
        points.stream().filter(p -> p.threads() == 16).findFirst().ifPresent(p -> {
            double sixteen = p.summary().writesPerSecond() / oneWriterRate();
            out.println(String.format(Locale.ROOT, "target: 16 writers >= %.0fx 1 writer: %.2fx, %s", SIXTEEN_WRITER_TARGET,
                    sixteen, sixteen >= SIXTEEN_WRITER_TARGET ? "met" : "MISSED"));
        });
    }

    Path writeCsv(Path directory, String benchmark, PhaseSummary loopBefore, PhaseSummary loopAfter) throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(benchmark + "-" + LocalDateTime.now().format(FILE_TIME) + ".csv");
        double loop = loopRate(loopBefore, loopAfter);
        try (BufferedWriter writer = Files.newBufferedWriter(path)) {
            writer.write("writers,writes_per_second,vs_loop,vs_one_writer,p50_ns,p99_ns,loop_writes_per_second");
            writer.newLine();
            for (Point point : points) {
                PhaseSummary summary = point.summary();
                writer.write(String.format(Locale.ROOT, "%d,%.0f,%.3f,%.3f,%d,%d,%.0f", point.threads(),
                        summary.writesPerSecond(), summary.writesPerSecond() / loop,
                        summary.writesPerSecond() / oneWriterRate(), summary.latency().percentileNanos(50),
                        summary.latency().percentileNanos(99), loop));
                writer.newLine();
            }
        }
        return path;
    }
}
