package io.walrus.bench;

import io.walrus.bench.cluster.ClusterBenchmark;
import io.walrus.bench.compare.CompareBenchmark;
import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.groupcommit.GroupCommitBenchmark;
import io.walrus.bench.latency.LatencyBenchmark;
import io.walrus.bench.iopaths.BackendsBenchmark;
import io.walrus.bench.iopaths.BatchIoBenchmark;
import io.walrus.bench.iopaths.FlushIoBenchmark;
import io.walrus.bench.iopaths.RingOpsBenchmark;
import io.walrus.bench.open.OpenBenchmark;
import io.walrus.bench.readab.ReadAbBenchmark;
import io.walrus.bench.reads.ReadsBenchmark;
import io.walrus.bench.scaling.ScalingBenchmark;
import io.walrus.bench.soak.SoakBenchmark;
import io.walrus.bench.writes.WritesBenchmark;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar walrus-bench.jar <benchmark>}: runs one benchmark, configured by the environment
 * variables the Makefile documents. Exit codes: 0 done, 1 the benchmark failed, 2 bad usage or a bad
 * setting.
 */
public final class BenchMain {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final List<Benchmark> BENCHMARKS = List.of(new WritesBenchmark(), new ReadsBenchmark(),
            ScalingBenchmark.singleAppends(), ScalingBenchmark.batchAppends(), new CompareBenchmark(),
            new GroupCommitBenchmark(), new LatencyBenchmark(), new BatchIoBenchmark(), new RingOpsBenchmark(), new BackendsBenchmark(),
            new FlushIoBenchmark(), new SoakBenchmark(), new OpenBenchmark(), new ClusterBenchmark(), new ReadAbBenchmark());

    private BenchMain() {
    }

    public static void main(String[] args) {
        // Exit explicitly: a benchmark that finished must not wait on a thread some target left behind.
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            usage(err);
            return USAGE;
        }
        String command = args[0];
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            usage(out);
            return OK;
        }
        Optional<Benchmark> benchmark = BENCHMARKS.stream().filter(b -> b.name().equals(command)).findFirst();
        if (benchmark.isEmpty()) {
            err.println("walrus-bench: unknown benchmark '" + command + "'");
            usage(err);
            return USAGE;
        }
        try {
            benchmark.get().run(environment, out);
            return OK;
        } catch (InvalidSettingException badSetting) {
            err.println("walrus-bench: " + badSetting.getMessage());
            return USAGE;
        } catch (Exception failure) {
            err.println("walrus-bench: " + command + " failed: " + failure);
            failure.printStackTrace(err);
            return FAILED;
        }
    }

    private static void usage(PrintStream stream) {
        stream.println("usage: java --enable-native-access=ALL-UNNAMED -jar walrus-bench.jar <benchmark>");
        stream.println("benchmarks:");
        for (Benchmark benchmark : BENCHMARKS) {
            stream.printf("  %-13s %s%n", benchmark.name(), benchmark.summary());
        }
        stream.println("settings (environment): FSYNC, THREADS, WALRUS_DURATION, WALRUS_BATCH_SIZE, BACKEND,"
                + " WALRUS_DATA_DIR, BENCH_ROUNDS, BATCH, PEERS, READ_ENTRIES, CLUSTER_PEERS, CLUSTER_GROUPS,"
                + " CLUSTER_WARMUP (see the Makefile)");
        stream.println("  scaling and batch-scaling read THREADS as N (1, 2, 4, ... N) or A-B (A to B);"
                + " default 1-4, 5s a point");
    }
}
