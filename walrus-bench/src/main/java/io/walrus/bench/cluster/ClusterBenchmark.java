package io.walrus.bench.cluster;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.ScratchDirectory;
import io.walrus.bench.writes.WritePhase;
import io.walrus.client.WalrusClient;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cluster}: three local {@code walrus-server} nodes written by {@code THREADS} client threads,
 * single appends and then batches of {@code WALRUS_BATCH_SIZE} (default 64) of the writes
 * benchmark's payloads, each beside the embedded Walrus under {@code syncEach()} in the same run
 * (an acknowledged append is on disk in both). Prints writes/s, p50/p99 and the ratios, and the
 * bytes the nodes wrote to storage per payload byte appended.
 */
public final class ClusterBenchmark implements Benchmark {
    static final int DEFAULT_BATCH = 64;
    static final Duration WARM_UP = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String summary() {
        return "a 3-node local cluster's appends beside the embedded Walrus under syncEach()";
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws Exception {
        int batch = config.batched() ? config.batchSize() : DEFAULT_BATCH;
        WorkloadConfig singles = withBatch(config, 0);
        WorkloadConfig batches = withBatch(config, batch);
        out.println("cluster: 3 nodes on loopback, " + config.describeThreads() + ", "
                + config.duration().toMillis() / 1000.0 + " s a phase, batches of " + batch
                + "; embedded Walrus under sync-each beside it");
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        List<Row> rows = new ArrayList<>();
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), "cluster-nodes");
             LocalNodes nodes = LocalNodes.start(scratch.path(), 3);
             WalrusClient client = WalrusClient.builder().addresses(nodes.addresses()).timeout(Duration.ofSeconds(60))
                     .connect()) {
            out.println("nodes ready at " + nodes.addresses());
            warmUp(client, config, out);
            for (WorkloadConfig phaseConfig : List.of(singles, batches)) {
                String kind = phaseConfig.batched() ? "batch " + batch : "single";
                WritePhase phase = new WritePhase(name(), phaseConfig, settler, out).withWarmUp();
                PhaseSummary embedded = phase.run("embedded-" + kind.replace(' ', '-'), 1,
                        directory -> WalrusWriteTarget.open(directory, phaseConfig));
                long before = nodes.bytesWritten();
                PhaseSummary cluster = phase.run("cluster-" + kind.replace(' ', '-'), 1,
                        directory -> new ClusterWriteTarget(client, kind.replace(' ', '-') + "-"));
                long written = nodes.bytesWritten() - before;
                rows.add(new Row(kind, embedded, cluster, before < 0 ? -1 : written));
            }
        }
        print(rows, out);
    }

    /**
     * Untimed appends from every writer thread for {@link #WARM_UP}: fresh node JVMs spend their
     * first seconds compiling Ratis, gRPC and Netty (measured here: 85 appends/s from 16 threads in
     * the first 5 s, 250-360 once warm), which the embedded Walrus, in this JVM, does not pay.
     */
    private static void warmUp(WalrusClient client, WorkloadConfig config, PrintStream out) throws Exception {
        long end = System.nanoTime() + WARM_UP.toNanos();
        java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < config.threads(); t++) {
            String topic = "warm-up-" + t;
            threads.add(Thread.ofPlatform().start(() -> {
                byte[] payload = new byte[760];
                try {
                    while (System.nanoTime() < end) {
                        client.appendForTopic(topic, payload);
                        appended.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        out.println("warm-up: " + appended.get() + " untimed appends in " + WARM_UP.toSeconds() + " s");
    }

    private record Row(String kind, PhaseSummary embedded, PhaseSummary cluster, long nodeBytesWritten) {
        double diskPerByte() {
            return nodeBytesWritten < 0 || cluster.payloadBytes() == 0 ? Double.NaN
                    : (double) nodeBytesWritten / cluster.payloadBytes();
        }
    }

    private static void print(List<Row> rows, PrintStream out) {
        out.println();
        out.println(String.format(Locale.ROOT, "%-10s %-9s %12s %9s %10s %10s", "appends", "target", "writes/s",
                "MB/s", "p50", "p99"));
        for (Row row : rows) {
            for (PhaseSummary s : List.of(row.embedded(), row.cluster())) {
                LatencyHistogram latency = s.latency();
                out.println(String.format(Locale.ROOT, "%-10s %-9s %,12.0f %9.1f %10s %10s", row.kind(),
                        s == row.embedded() ? "embedded" : "cluster", s.writesPerSecond(), s.megabytesPerSecond(),
                        LatencyHistogram.format(latency.percentileNanos(50)),
                        LatencyHistogram.format(latency.percentileNanos(99))));
            }
        }
        out.println();
        for (Row row : rows) {
            double ratio = row.cluster().writesPerSecond() / row.embedded().writesPerSecond();
            double p99 = (double) row.cluster().latency().percentileNanos(99) / row.embedded().latency().percentileNanos(99);
            out.println(String.format(Locale.ROOT,
                    "%s appends: cluster/embedded sync-each = %.2fx writes/s, %.2fx p99; nodes wrote %.2f bytes to"
                            + " storage per payload byte appended (3 nodes together; %.2f per node)",
                    row.kind(), ratio, p99, row.diskPerByte(), row.diskPerByte() / 3));
        }
        rows.stream().filter(r -> r.kind().startsWith("batch")).findFirst().ifPresent(r -> {
            double ratio = r.cluster().writesPerSecond() / r.embedded().writesPerSecond();
            out.println(String.format(Locale.ROOT, "target: batch appends replicated >= 0.50x the embedded sync-each"
                    + " batch throughput: %.2fx, %s", ratio, ratio >= 0.5 ? "met" : "MISSED"));
        });
    }

    private static WorkloadConfig withBatch(WorkloadConfig config, int batch) {
        return new WorkloadConfig(FsyncMode.syncEach(), config.threads(), config.duration(), batch, config.backend(),
                config.dataDir(), 1);
    }
}
