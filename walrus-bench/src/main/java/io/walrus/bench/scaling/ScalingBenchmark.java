package io.walrus.bench.scaling;

import io.walrus.bench.Benchmark;
import io.walrus.bench.chart.PngFiles;
import io.walrus.bench.chart.ScalingChart;
import io.walrus.bench.config.BatchSize;
import io.walrus.bench.config.RunDuration;
import io.walrus.bench.config.ThreadSweep;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scaling}: the {@code writes} benchmark's Walrus phase at each thread count of a sweep, so
 * the table says how throughput grows with writers and where it stops growing. No baseline: the
 * question is Walrus against itself with fewer threads. {@code batch-scaling} is the same sweep
 * with every writer calling {@code batchAppendForTopic} ({@code BATCH} entries a call).
 */
public final class ScalingBenchmark implements Benchmark {
    /** Shorter than the other benchmarks' default: a sweep runs one phase per point. */
    static final String DEFAULT_DURATION = "5s";

    private final boolean batches;

    private ScalingBenchmark(boolean batches) {
        this.batches = batches;
    }

    /** {@code scaling}: single appends, or batches only when {@code WALRUS_BATCH_SIZE} asks for them. */
    public static ScalingBenchmark singleAppends() {
        return new ScalingBenchmark(false);
    }

    /** {@code batch-scaling}: batch appends of {@code BATCH} (or {@code WALRUS_BATCH_SIZE}, or 256) entries. */
    public static ScalingBenchmark batchAppends() {
        return new ScalingBenchmark(true);
    }

    @Override
    public String name() {
        return batches ? "batch-scaling" : "scaling";
    }

    @Override
    public String summary() {
        return batches
                ? "as scaling, with batch appends of BATCH entries (default 256)"
                : "Walrus write throughput over a sweep of thread counts (THREADS=N or A-B)";
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        List<Integer> counts = ThreadSweep.fromEnvironment(environment);
        Map<String, String> common = new HashMap<>(environment);
        // THREADS is the sweep here, read above; the common reader would reject "1-4".
        common.remove(WorkloadConfig.THREADS);
        if (batches) {
            common.put(WorkloadConfig.BATCH_SIZE, Integer.toString(BatchSize.fromEnvironment(environment)));
        }
        String duration = common.get(RunDuration.VARIABLE);
        if (duration == null || duration.isBlank()) {
            common.put(RunDuration.VARIABLE, DEFAULT_DURATION);
        }
        sweep(WorkloadConfig.fromEnvironment(common), counts, out);
    }

    /** With a ready configuration: doubles from 1 up to its thread count. */
    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        sweep(config, ThreadSweep.parse(Integer.toString(config.threads())), out);
    }

    private void sweep(WorkloadConfig config, List<Integer> counts, PrintStream out) throws IOException {
        out.println(name() + ": " + counts + " writer threads; each point: " + config.sweepPoint(1).describe()
                .replaceFirst("^1 writer thread, ", ""));
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        ScalingTable table = new ScalingTable();
        for (int threads : counts) {
            WorkloadConfig point = config.sweepPoint(threads);
            WritePhase phase = new WritePhase(name(), point, settler, out);
            table.add(threads, phase.run("walrus-" + threads + "t", 1,
                    directory -> WalrusWriteTarget.open(directory, point)));
        }
        table.print(name(), out);
        Path csv = table.writeCsv(CsvProgressLog.RESULTS_DIR, name());
        out.println("csv: " + csv);
        String title = name() + ": fsync " + config.fsync()
                + (config.batched() ? ", batches of " + config.batchSize() : ", single appends");
        try {
            out.println("plot: " + ScalingChart.write(PngFiles.besideCsv(csv), title, table.points()));
        } catch (IOException | RuntimeException | LinkageError notDrawn) {
            out.println("plot: not drawn (" + notDrawn + ")");
        }
    }
}
