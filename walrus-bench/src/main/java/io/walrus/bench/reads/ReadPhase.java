package io.walrus.bench.reads;

import io.walrus.Walrus;
import io.walrus.bench.chart.ThroughputChart;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.report.ProgressCounters;
import io.walrus.bench.report.ProgressMonitor;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.PhaseClock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timed read phase: Walrus reopened on what the write phase left, one reader per writer's
 * topic, for the configured time or until every topic is drained, reported like a write phase.
 */
final class ReadPhase {
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The phase's figures, and whether every reader emptied its topic before the deadline. */
    record Result(PhaseSummary summary, boolean drained) {
    }

    private final String benchmark;
    private final WorkloadConfig config;
    private final PageCacheSettler settler;
    private final PrintStream out;

    ReadPhase(String benchmark, WorkloadConfig config, PageCacheSettler settler, PrintStream out) {
        this.benchmark = benchmark;
        this.config = config;
        this.settler = settler;
        this.out = out;
    }

    Result run(Path directory, String label) throws IOException {
        try (CsvProgressLog csv = CsvProgressLog.create(CsvProgressLog.RESULTS_DIR, benchmark, label, "reads")) {
            // Opening replays what the write phase left; that is setup, not reading, so it is not timed.
            Walrus walrus = WalrusWriteTarget.openWalrus(directory, config);
            boolean closed = false;
            try {
                int count = config.threads();
                ReaderLoop[] loops = new ReaderLoop[count];
                LatencyHistogram[] latencies = new LatencyHistogram[count];
                ProgressCounters counters = new ProgressCounters(count);
                PhaseClock clock = new PhaseClock();
                Thread[] threads = new Thread[count];
                for (int reader = 0; reader < count; reader++) {
                    latencies[reader] = new LatencyHistogram();
                    loops[reader] = new ReaderLoop(reader, walrus, WalrusWriteTarget.topicOf(reader),
                            config.batched(), counters, latencies[reader], clock);
                    threads[reader] = Thread.ofPlatform().name(label + "-reader-" + reader).daemon().start(loops[reader]);
                }
                out.println("[" + label + "] " + settler.settle().describe());
                ProgressMonitor monitor = new ProgressMonitor(label, "reads", counters, csv, out);
                long durationNanos = config.duration().toNanos();
                long startNanos = clock.start(durationNanos);
                monitor.start(startNanos, durationNanos);
                long elapsedNanos = clock.joinAll(threads, startNanos + durationNanos + STOP_GRACE_NANOS, STOP_GRACE_NANOS) - startNanos;
                boolean drained = true;
                for (ReaderLoop loop : loops) {
                    drained &= loop.drained();
                }
                if (clock.failed()) {
                    monitor.stop();
                    throw new IOException(label + " phase stopped: a reader failed: " + clock.failure(), clock.failure());
                }
                if (elapsedNanos < durationNanos) {
                    monitor.stop(); // everything is read: seconds of zeros would say nothing
                } else {
                    monitor.awaitEnd();
                }

                long closeStart = System.nanoTime();
                closed = true;
                walrus.close();
                long closeNanos = System.nanoTime() - closeStart;

                LatencyHistogram merged = new LatencyHistogram();
                for (LatencyHistogram latency : latencies) {
                    merged.addAll(latency);
                }
                PhaseSummary summary = new PhaseSummary(label, counters.totalWrites(), counters.totalBytes(),
                        elapsedNanos, merged, config.batched() ? "batch read of up to 1 MiB" : "readNext",
                        closeNanos, csv.path(), "reads");
                summary.print(out);
                ThroughputChart.drawAndReport(csv.path(), label,
                        benchmark + " " + label + ": " + config.describeThreads() + ", fsync " + config.fsync(), out);
                return new Result(summary, drained);
            } finally {
                if (!closed) {
                    try {
                        walrus.close();
                    } catch (IOException | RuntimeException e) {
                        out.println("[warning] closing Walrus after a failure failed too: " + e);
                    }
                }
            }
        }
    }
}
