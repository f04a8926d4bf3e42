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
import java.time.Duration;
import java.util.Map;

/**
 * {@code writes}: the original's write benchmark (one topic per writer, random 500-1,024-byte
 * payloads) run with the same settings on Walrus and on plain FileChannel writes, so the result
 * says how close Walrus comes to what the disk and kernel allow. {@code BENCH_ROUNDS} repeats the
 * pair, alternating which goes first (A B, B A, A B, ...), after an untimed warm-up of each.
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
        warmUp(config, out, walrus, baseline);
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
     * Both targets for {@link #WARM_UP}, untimed and not counted, before the first round: otherwise
     * whichever runs first also pays for compiling the code both share (the writer loop, the
     * payloads, the histogram) and for its own first JIT passes. Profiled, round 1's Walrus phase
     * spent 24 % of its samples in the compiler threads, the loop's 10 %.
     */
    private void warmUp(WorkloadConfig config, PrintStream out, WritePhase.TargetOpener walrus,
                        WritePhase.TargetOpener baseline) throws IOException {
        WorkloadConfig brief = new WorkloadConfig(config.fsync(), config.threads(), WARM_UP, config.batchSize(),
                config.backend(), config.dataDir(), 1);
        WritePhase phase = new WritePhase(name(), brief, PageCacheSettler.forThisMachine(), out);
        out.println("warm-up: " + WARM_UP.toSeconds() + " s of each target, untimed, not in the results");
        phase.run("warm-up-walrus", 0, walrus);
        phase.run("warm-up-filechannel", 0, baseline);
    }

    /** How long each target runs before the timed rounds: long enough for the JIT's hot methods. */
    static final Duration WARM_UP = Duration.ofSeconds(2);

    /**
     * Walrus first in odd rounds, second in even ones. Going second is not neutral even on a
     * settled machine (a warmer JIT, a fuller disk, a tenant that woke up), so an even number of
     * rounds gives each target each position equally often.
     */
    static boolean walrusGoesFirst(int round) {
        return round % 2 == 1;
    }
}
