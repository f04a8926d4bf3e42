package io.walrus.bench.writes;

import io.walrus.bench.chart.ThroughputChart;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.report.ProgressCounters;
import io.walrus.bench.report.ProgressMonitor;
import io.walrus.bench.target.WriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.PayloadPool;
import io.walrus.bench.workload.PhaseClock;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One timed phase of a write benchmark against one target: a fresh directory, a settled page cache,
 * the configured writers for the configured time, a line a second, then the summary. Every target
 * runs through this same code, so their numbers differ only by what the target does.
 */
public final class WritePhase {
    /** How long past the deadline writers may take to return before the phase gives up on them. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Opens a target whose files live in {@code directory}. */
    @FunctionalInterface
    public interface TargetOpener {
        WriteTarget open(Path directory) throws IOException;
    }

    private final String benchmark;
    private final WorkloadConfig config;
    private final PageCacheSettler settler;
    private final PrintStream out;
    private final boolean warmUp;
    /** Every payload this long, or 0 for the original's random 500 to 1,024 bytes. */
    private final int payloadBytes;
    /** Samples each timed phase when set ({@code make profile-writes}); null otherwise. */
    private final PhaseProfiler profiler;

    public WritePhase(String benchmark, WorkloadConfig config, PageCacheSettler settler, PrintStream out) {
        this(benchmark, config, settler, out, 0);
    }

    /** With payloads of exactly {@code payloadBytes} (0: the original's random lengths). */
    public WritePhase(String benchmark, WorkloadConfig config, PageCacheSettler settler, PrintStream out,
                      int payloadBytes) {
        this(benchmark, config, settler, out, payloadBytes, false, null);
    }

    private WritePhase(String benchmark, WorkloadConfig config, PageCacheSettler settler, PrintStream out,
                       int payloadBytes, boolean warmUp, PhaseProfiler profiler) {
        this.benchmark = benchmark;
        this.config = config;
        this.settler = settler;
        this.out = out;
        this.payloadBytes = payloadBytes;
        this.warmUp = warmUp;
        this.profiler = profiler;
    }

    /**
     * This phase with one untimed append per writer before the clock starts, so a target that creates
     * its files on first write (Walrus preallocates a 1 GB data file) does not pay that inside a
     * short timed window when the baseline made its file in {@code appender()}. The read benchmark
     * counts every entry written, so it does not use this.
     */
    public WritePhase withWarmUp() {
        return new WritePhase(benchmark, config, settler, out, payloadBytes, true, profiler);
    }

    /** This phase sampled by {@code profiler} (null: not sampled) from the clock's start to the writers' end. */
    WritePhase withProfiler(PhaseProfiler profiler) {
        return new WritePhase(benchmark, config, settler, out, payloadBytes, warmUp, profiler);
    }

    /**
     * Runs round {@code round}'s phase of {@code label} in {@code <dataDir>/<benchmark>-<label>},
     * which is deleted before and after. With more than one round the heading and the CSV's name
     * carry the round, so a target's phases stay apart.
     */
    public PhaseSummary run(String label, int round, TargetOpener opener) throws IOException {
        boolean rounds = config.rounds() > 1;
        String csvName = rounds ? label + "-round" + round : label;
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), benchmark + "-" + label)) {
            out.println("== " + label + (rounds ? ", round " + round + " of " + config.rounds() : "") + " ==");
            return runIn(scratch.path(), label, csvName, opener);
        }
    }

    /**
     * Runs one phase of {@code label} on a target opened in {@code directory}, which the caller owns:
     * it is neither emptied nor deleted, so a later phase (a read phase) can open what was written.
     * The target is closed before this returns.
     */
    public PhaseSummary runIn(Path directory, String label, String csvName, TargetOpener opener) throws IOException {
        try (CsvProgressLog csv = CsvProgressLog.create(CsvProgressLog.RESULTS_DIR, benchmark, csvName)) {
            WriteTarget target = opener.open(directory);
            boolean closed = false;
            try {
                Writers writers = startWriters(label, target);
                PhaseClock clock = writers.clock();
                // Last thing before the clock starts: opening the target and the writers' files is
                // I/O too, and nothing written before now may still be in flight when it starts.
                out.println("[" + label + "] " + settler.settle().describe());
                ProgressMonitor monitor = new ProgressMonitor(label, writers.counters(), csv, out);
                long durationNanos = config.duration().toNanos();
                if (profiler != null) {
                    profiler.start();
                }
                long startNanos = clock.start(durationNanos);
                monitor.start(startNanos, durationNanos);
                long elapsedNanos = writers.join(startNanos + durationNanos + STOP_GRACE_NANOS) - startNanos;
                if (profiler != null) {
                    profiler.stop(benchmark, csvName, label, writers.counters().totalWrites(), out);
                }
                if (clock.failed()) {
                    monitor.stop();
                    throw new IOException(label + " phase stopped: a writer failed: " + clock.failure(), clock.failure());
                }
                monitor.awaitEnd();

                long closeStart = System.nanoTime();
                closed = true;
                target.close();
                long closeNanos = System.nanoTime() - closeStart;

                PhaseSummary summary = new PhaseSummary(label, writers.counters().totalWrites(),
                        writers.counters().totalBytes(), elapsedNanos, writers.mergedLatency(),
                        config.batched() ? "batch of " + config.batchSize() : "append", closeNanos, csv.path());
                summary.print(out);
                ThroughputChart.drawAndReport(csv.path(), label,
                        benchmark + " " + label + ": " + config.describeThreads() + ", fsync " + config.fsync(), out);
                return summary;
            } finally {
                if (!closed) {
                    closeAfterFailure(target);
                }
            }
        }
    }

    /**
     * Opens every appender and prepares every payload before the first thread starts, so setup is
     * never timed and a failure in it leaves no thread waiting for a start that never comes.
     */
    private Writers startWriters(String label, WriteTarget target) throws IOException {
        int count = config.threads();
        WriterLoop[] loops = new WriterLoop[count];
        LatencyHistogram[] latencies = new LatencyHistogram[count];
        ProgressCounters counters = new ProgressCounters(count);
        PhaseClock clock = new PhaseClock();
        for (int writer = 0; writer < count; writer++) {
            latencies[writer] = new LatencyHistogram();
            // Seeded by the writer's index: every phase writes exactly the same payloads.
            PayloadPool payloads = payloadBytes > 0
                    ? new PayloadPool(writer, config.batchSize(), payloadBytes, payloadBytes)
                    : new PayloadPool(writer, config.batchSize());
            WriteTarget.Appender appender = target.appender(writer);
            if (warmUp) {
                PayloadPool first = new PayloadPool(-1 - writer, config.batchSize());
                if (config.batched()) {
                    appender.appendBatch(first.nextBatch().entries());
                } else {
                    appender.append(first.next());
                }
            }
            loops[writer] = new WriterLoop(writer, appender, payloads, config.batched(),
                    counters, latencies[writer], clock);
        }
        Thread[] threads = new Thread[count];
        for (int writer = 0; writer < count; writer++) {
            // Daemon: a writer stuck in the target must not keep a failed benchmark alive.
            threads[writer] = Thread.ofPlatform().name(label + "-writer-" + writer).daemon().start(loops[writer]);
        }
        return new Writers(threads, latencies, counters, clock);
    }

    private void closeAfterFailure(WriteTarget target) {
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            out.println("[warning] closing the target after a failure failed too: " + e);
        }
    }

    /** The running writer threads and what they record. */
    private record Writers(Thread[] threads, LatencyHistogram[] latencies, ProgressCounters counters,
                           PhaseClock clock) {

        /** Waits for every writer, at most until {@code giveUpNanos}; returns when the last one stopped. */
        long join(long giveUpNanos) {
            return clock.joinAll(threads, giveUpNanos, STOP_GRACE_NANOS);
        }

        /** Every writer's latencies in one histogram; only after {@link #join}. */
        LatencyHistogram mergedLatency() {
            LatencyHistogram merged = new LatencyHistogram();
            for (LatencyHistogram latency : latencies) {
                merged.addAll(latency);
            }
            return merged;
        }
    }
}
