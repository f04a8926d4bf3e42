package io.walrus.bench.scaling;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.RunDuration;
import io.walrus.bench.config.ThreadSweep;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scaling}: the {@code writes} benchmark's Walrus phase at each thread count of a sweep, so
 * the table says how throughput grows with writers and where it stops growing. No baseline: the
 * question is Walrus against itself with fewer threads.
 */
public final class ScalingBenchmark implements Benchmark {
    /** Shorter than the other benchmarks' default: a sweep runs one phase per point. */
    static final String DEFAULT_DURATION = "5s";

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public String summary() {
        return "Walrus write throughput over a sweep of thread counts (THREADS=N or A-B)";
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        List<Integer> counts = ThreadSweep.fromEnvironment(environment);
        Map<String, String> common = new HashMap<>(environment);
        // THREADS is the sweep here, read above; the common reader would reject "1-4".
        common.remove(WorkloadConfig.THREADS);
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
        out.println("scaling: " + counts + " writer threads; each point: " + atThreads(config, 1).describe()
                .replaceFirst("^1 writer thread, ", ""));
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        ScalingTable table = new ScalingTable();
        for (int threads : counts) {
            WorkloadConfig point = atThreads(config, threads);
            WritePhase phase = new WritePhase(name(), point, settler, out);
            table.add(threads, phase.run("walrus-" + threads + "t", 1,
                    directory -> WalrusWriteTarget.open(directory, point)));
        }
        table.print(out);
        out.println("csv: " + table.writeCsv(CsvProgressLog.RESULTS_DIR, name()));
    }

    /**
     * {@code config} with {@code threads} writers, and one round: a sweep point is one phase, and
     * the rounds of {@code writes} would only rename its heading.
     */
    static WorkloadConfig atThreads(WorkloadConfig config, int threads) {
        return new WorkloadConfig(config.fsync(), threads, config.duration(), config.batchSize(),
                config.backend(), config.dataDir(), 1);
    }
}
