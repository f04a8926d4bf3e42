package io.walrus.bench.writes;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.report.RoundComparison;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code writes}: the original's write benchmark (one topic per writer, random 500-1,024-byte
 * payloads) run with the same settings on Walrus and on plain FileChannel writes, so the result
 * says how close Walrus comes to what the disk and kernel allow. {@code BENCH_ROUNDS} repeats the
 * pair, alternating which goes first (A B, B A, A B, ...).
 */
public final class WritesBenchmark implements Benchmark {

    @Override
    public String name() {
        return "writes";
    }

    @Override
    public String summary() {
        return "append throughput and latency: Walrus against a plain FileChannel baseline";
    }

    /** As every benchmark, and {@code PROFILE} (make profile-writes) samples each phase: see {@link PhaseProfiler}. */
    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        run(WorkloadConfig.fromEnvironment(environment), PhaseProfiler.fromEnvironment(environment), out);
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        run(config, null, out);
    }

    private void run(WorkloadConfig config, PhaseProfiler profiler, PrintStream out) throws IOException {
        out.println("writes: " + config.describe() + (profiler == null ? "" : ", profiled: " + profiler.describe()));
        WritePhase phase = new WritePhase(name(), config, PageCacheSettler.forThisMachine(), out).withProfiler(profiler);
        WritePhase.TargetOpener walrus = directory -> WalrusWriteTarget.open(directory, config);
        WritePhase.TargetOpener baseline = directory -> FileChannelWriteTarget.open(directory, config.fsync());
        RoundComparison comparison = new RoundComparison();
        for (int round = 1; round <= config.rounds(); round++) {
            boolean walrusFirst = walrusGoesFirst(round);
            PhaseSummary walrusPhase;
            PhaseSummary baselinePhase;
            if (walrusFirst) {
                walrusPhase = phase.run("walrus", round, walrus);
                baselinePhase = phase.run("filechannel", round, baseline);
            } else {
                baselinePhase = phase.run("filechannel", round, baseline);
                walrusPhase = phase.run("walrus", round, walrus);
            }
            comparison.add(walrusPhase, baselinePhase, walrusFirst);
        }
        comparison.print(out);
    }

    /**
     * Walrus first in odd rounds, second in even ones. Going second is not neutral even on a
     * settled machine (a warmer JIT, a fuller disk, a tenant that woke up), so an even number of
     * rounds gives each target each position equally often.
     */
    static boolean walrusGoesFirst(int round) {
        return round % 2 == 1;
    }
}
