package io.walrus.bench.latency;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency}: end-to-end latency of a waiting read. One thread appends a timestamped entry every
 * {@link #INTERVAL_MICROS} us, another waits in a named consumer's {@code readNext(topic, true,
 * timeout)} and records the time from just before the append to the read returning it. The baseline,
 * an {@code ArrayBlockingQueue} hand-off between the same two threads, is the cost of waking a parked
 * thread on this machine. Each phase is preceded by a one-second warm-up that is not recorded. With {@code BENCH_ROUNDS} the phases alternate (A B B A ...) and each side's
 * rounds are merged. Settings: FSYNC, WALRUS_DURATION (each phase), BACKEND, WALRUS_DATA_DIR.
 */
public final class LatencyBenchmark implements Benchmark {
    static final long INTERVAL_MICROS = 500;

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public String summary() {
        return "append to waiting read returning, p50/p99, beside a queue hand-off";
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws Exception {
        out.println("latency: one append every " + INTERVAL_MICROS + " us for " + config.duration().toSeconds()
                + " s a phase, fsync " + config.fsync() + ", backend " + config.backend().name().toLowerCase(Locale.ROOT)
                + ", data in " + config.dataDir() + (config.rounds() > 1 ? ", " + config.rounds() + " rounds" : ""));
        LatencyRun run = new LatencyRun(LatencyRun.WARM_UP, config.duration(), TimeUnit.MICROSECONDS.toNanos(INTERVAL_MICROS));
        LatencyHistogram walrus = new LatencyHistogram();
        LatencyHistogram queue = new LatencyHistogram();
        for (int round = 0; round < config.rounds(); round++) {
            boolean walrusFirst = round % 2 == 0;
            for (int phase = 0; phase < 2; phase++) {
                if ((phase == 0) == walrusFirst) {
                    try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), "latency-walrus");
                         WalrusHandOff handOff = WalrusHandOff.open(scratch.path(), config)) {
                        report(run.run(handOff), walrus, out);
                    }
                } else {
                    try (QueueHandOff handOff = new QueueHandOff()) {
                        report(run.run(handOff), queue, out);
                    }
                }
            }
        }
        out.println(String.format(Locale.ROOT, "walrus/queue: p50 %.2fx, p99 %.2fx (%,d and %,d samples)",
                ratio(walrus, queue, 50), ratio(walrus, queue, 99), walrus.count(), queue.count()));
    }

    private static void report(LatencyRun.Result result, LatencyHistogram total, PrintStream out) {
        if (result.received() != result.sent()) {
            throw new IllegalStateException(result.name() + ": sent " + result.sent() + " but received " + result.received());
        }
        LatencyHistogram latencies = result.latencies();
        out.println(String.format(Locale.ROOT, "%-7s %,8d entries  p50 %-9s p99 %-9s p99.9 %-9s max %s", result.name(),
                latencies.count(), LatencyHistogram.format(latencies.percentileNanos(50)),
                LatencyHistogram.format(latencies.percentileNanos(99)),
                LatencyHistogram.format(latencies.percentileNanos(99.9)), LatencyHistogram.format(latencies.maxNanos())));
        total.addAll(latencies);
    }

    private static double ratio(LatencyHistogram walrus, LatencyHistogram queue, double percentile) {
        return (double) walrus.percentileNanos(percentile) / Math.max(1, queue.percentileNanos(percentile));
    }
}
