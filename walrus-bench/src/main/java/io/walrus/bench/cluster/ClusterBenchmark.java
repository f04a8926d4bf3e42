package io.walrus.bench.cluster;

import io.walrus.bench.Benchmark;
import io.walrus.bench.chart.ComparisonChart;
import io.walrus.bench.chart.PngFiles;
import io.walrus.bench.compare.ComparisonFailures;
import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.config.RunDuration;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.ScratchDirectory;
import io.walrus.bench.writes.WritePhase;
import io.walrus.client.WalrusClient;
import org.apache.kafka.clients.producer.Producer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cluster}: three local {@code walrus-server} nodes written by {@code THREADS} client threads,
 * once for each number of Raft groups {@code CLUSTER_GROUPS} names ({@link ClusterGroupCounts}; default one
 * group, then one per node),
 * single appends and then batches of {@code WALRUS_BATCH_SIZE} (default 64) of the writes
 * benchmark's payloads, each beside the embedded Walrus under {@code syncEach()} in the same run
 * (an acknowledged append is on disk in both). Then, with the nodes stopped, the same workload on the
 * peers {@code CLUSTER_PEERS} names ({@link ClusterPeers}; default a 3-broker Kafka cluster with
 * its defaults). Prints a table per kind of append (writes/s, p50/p99, ratios to the Walrus cluster,
 * the bytes each cluster's processes wrote to storage per payload byte, the goals against each
 * peer), and leaves it as a CSV and a bar chart per kind in {@code bench_results/}.
 */
public final class ClusterBenchmark implements Benchmark {
    static final int DEFAULT_BATCH = 64;
    static final int NODES = 3;
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** One kind of append: its label in the table and the configuration its phases run with. */
    private record Kind(String label, WorkloadConfig config) {
        /** {@code batch-64}: for phase labels, topic names and file names. */
        String slug() {
            return label.replace(' ', '-');
        }
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String summary() {
        return "a 3-node local cluster beside the embedded Walrus under syncEach(), then 3 Kafka brokers";
    }

    /** Reads {@code CLUSTER_PEERS}, {@code CLUSTER_GROUPS} and {@code CLUSTER_WARMUP} besides the common settings. */
    @Override
    public void run(Map<String, String> environment, PrintStream out) throws Exception {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(environment);
        run(config, ClusterPeers.parse(environment.get(ClusterPeers.VARIABLE)),
                ClusterGroupCounts.parse(environment.get(ClusterGroupCounts.VARIABLE)),
                RunDuration.parse(WarmUpWindows.VARIABLE, environment.get(WarmUpWindows.VARIABLE),
                        WarmUpWindows.DEFAULT_MAX),
                out);
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws Exception {
        run(config, ClusterPeers.DEFAULT, ClusterGroupCounts.DEFAULT, WarmUpWindows.DEFAULT_MAX, out);
    }

    private void run(WorkloadConfig config, List<ClusterPeers> peers, List<Integer> groupCounts, Duration warmUpMax,
                     PrintStream out) throws Exception {
        int batch = config.batched() ? config.batchSize() : DEFAULT_BATCH;
        List<Kind> kinds = List.of(new Kind("single", withBatch(config, 0)), new Kind("batch " + batch,
                withBatch(config, batch)));
        out.println("cluster: " + NODES + " nodes on loopback, with " + describe(groupCounts) + ", "
                + config.describeThreads() + ", "
                + config.duration().toMillis() / 1000.0 + " s a phase, batches of " + batch
                + "; embedded Walrus under sync-each beside it"
                + (peers.isEmpty() ? "" : "; then " + NODES + " Kafka brokers (KRaft), replication factor " + NODES));
        List<String> durability = durability(peers);
        durability.forEach(out::println);
        List<String> targets = new ArrayList<>(List.of(ClusterTable.EMBEDDED));
        groupCounts.subList(0, groupCounts.size() - 1).forEach(g -> targets.add(ClusterGroupCounts.rowName(g)));
        targets.add(ClusterTable.CLUSTER);
        peers.forEach(peer -> targets.add(peer.label()));
        ClusterTable table = new ClusterTable(kinds.stream().map(Kind::label).toList(), targets);
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        Files.createDirectories(config.dataDir());
        DeviceWrites disk = DeviceWrites.of(config.dataDir());
        for (int i = 0; i < groupCounts.size(); i++) {
            int groups = groupCounts.get(i);
            String row = i == groupCounts.size() - 1 ? ClusterTable.CLUSTER : ClusterGroupCounts.rowName(groups);
            runWalrus(config, kinds, groups, row, i == 0, warmUpMax, settler, disk, table, out);
        }
        if (!peers.isEmpty()) {
            runKafka(config, kinds, peers, warmUpMax, settler, disk, table, out);
        }
        report(config, batch, table, durability, out);
        reportGroups(groupCounts, table, out);
    }

    /** {@code 1 group}, {@code 3 groups}. */
    private static String groupsText(int groups) {
        return groups + (groups == 1 ? " group" : " groups");
    }

    /** {@code 1 and 3 Raft groups (the cluster row: 3)}. */
    private static String describe(List<Integer> groupCounts) {
        int reference = groupCounts.getLast();
        if (groupCounts.size() == 1) {
            return reference + " Raft group" + (reference == 1 ? "" : "s");
        }
        return groupCounts.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + " Raft groups, one cluster after another (the cluster row: " + reference + ")";
    }

    /**
     * The reference layout's writes/s over each other layout's, per kind: whether spreading the topics
     * over more groups (leaders on more nodes) made the cluster faster on this machine.
     */
    private static void reportGroups(List<Integer> groupCounts, ClusterTable table, PrintStream out) {
        int reference = groupCounts.getLast();
        for (int groups : groupCounts.subList(0, groupCounts.size() - 1)) {
            for (String kind : table.kinds()) {
                ClusterTable.Row other = table.row(kind, ClusterGroupCounts.rowName(groups));
                ClusterTable.Row cluster = table.row(kind, ClusterTable.CLUSTER);
                if (!other.ran() || !cluster.ran()) {
                    continue;
                }
                double ratio = cluster.phase().writesPerSecond() / other.phase().writesPerSecond();
                String goal = reference > groups ? String.format(Locale.ROOT, ", target: %d groups above %d: %s",
                        reference, groups, ratio > 1 ? "met" : "MISSED") : "";
                out.println(String.format(Locale.ROOT, "groups, %s appends: %s %,.0f writes/s, %s %,.0f: %.2fx%s",
                        kind, groupsText(reference), cluster.phase().writesPerSecond(), groupsText(groups),
                        other.phase().writesPerSecond(), ratio, goal));
            }
        }
    }

    /**
     * A Walrus cluster with {@code groups} Raft groups on every kind, as table row {@code row}; with
     * {@code withEmbedded}, each kind's embedded phase before it. Walrus failing ends the benchmark:
     * there is nothing to compare with.
     */
    private void runWalrus(WorkloadConfig config, List<Kind> kinds, int groups, String row, boolean withEmbedded,
                           Duration warmUpMax, PageCacheSettler settler, DeviceWrites disk, ClusterTable table,
                           PrintStream out) throws Exception {
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), "cluster-nodes");
             LocalNodes nodes = LocalNodes.start(scratch.path(), NODES, groups);
             WalrusClient client = WalrusClient.builder().addresses(nodes.addresses()).timeout(Duration.ofSeconds(60))
                     .connect()) {
            out.println("nodes ready at " + nodes.addresses() + ", " + groups + " Raft group" + (groups == 1 ? "" : "s"));
            ClusterWarmUp.run("cluster", new ClusterWriteTarget(client, "warm-up-"), config.threads(),
                    new WarmUpWindows(warmUpMax), out);
            for (Kind kind : kinds) {
                WritePhase phase = new WritePhase(name(), kind.config(), settler, out).withWarmUp();
                if (withEmbedded) {
                    long before = disk.bytesSoFar();
                    PhaseSummary embedded = phase.run("embedded-" + kind.slug(), 1,
                            directory -> WalrusWriteTarget.open(directory, kind.config()));
                    table.add(kind.label(), ClusterTable.EMBEDDED, embedded, written(before, disk.bytesSoFar()));
                }
                long before = disk.bytesSoFar();
                PhaseSummary cluster = phase.run("cluster-" + groups + "g-" + kind.slug(), 1,
                        directory -> new ClusterWriteTarget(client, kind.slug() + "-"));
                table.add(kind.label(), row, cluster, written(before, disk.bytesSoFar()));
            }
        }
    }

    /**
     * The peers on one Kafka cluster, after the Walrus nodes stopped (so the two never share the
     * cores), each peer on topics of its own with a partition per writer. Kafka failing only takes
     * its rows out: the Walrus figures are still printed.
     */
    private void runKafka(WorkloadConfig config, List<Kind> kinds, List<ClusterPeers> peers, Duration warmUpMax,
                          PageCacheSettler settler, DeviceWrites disk, ClusterTable table, PrintStream out)
            throws IOException {
        // Emptied now and never deleted: the brokers' logs stay for whoever reads why a run went wrong.
        Path logs = ScratchDirectory.create(config.dataDir(), "cluster-kafka-logs").path();
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), "cluster-kafka");
             KafkaBrokers brokers = KafkaBrokers.start(scratch.path(), logs, NODES)) {
            out.println("Kafka brokers ready at " + brokers.bootstrapServers() + "; their logs: " + logs);
            brokers.createTopic("warm-up", config.threads(), Map.of());
            for (Kind kind : kinds) {
                for (ClusterPeers peer : peers) {
                    brokers.createTopic(topic(peer, kind), config.threads(), peer.topicConfigs());
                }
            }
            Producer<byte[], byte[]> producer = KafkaClusterWriteTarget.openProducer(brokers.bootstrapServers());
            try {
                ClusterWarmUp.run("kafka", new KafkaClusterWriteTarget(producer, "warm-up"), config.threads(),
                        new WarmUpWindows(warmUpMax), out);
                for (Kind kind : kinds) {
                    WritePhase phase = new WritePhase(name(), kind.config(), settler, out).withWarmUp();
                    for (ClusterPeers peer : peers) {
                        long before = disk.bytesSoFar();
                        PhaseSummary summary = phase.run(topic(peer, kind), 1,
                                directory -> new KafkaClusterWriteTarget(producer, topic(peer, kind)));
                        table.add(kind.label(), peer.label(), summary, written(before, disk.bytesSoFar()));
                    }
                }
            } finally {
                // Bounded: after a failure, records still pending would otherwise hold close() for
                // the producer's delivery timeout (two minutes).
                producer.close(PRODUCER_CLOSE_TIMEOUT);
            }
        } catch (Exception failed) {
            String reason = "failed: " + ComparisonFailures.reason(failed);
            out.println("[kafka] " + reason + " (broker logs: " + logs + ")");
            failed.printStackTrace(out);
            for (Kind kind : kinds) {
                for (ClusterPeers peer : peers) {
                    if (!table.row(kind.label(), peer.label()).ran()) {
                        table.markFailed(kind.label(), peer.label(), reason);
                    }
                }
            }
        }
    }

    /** Bytes between two readings of {@link DeviceWrites}; -1 where either could not be read. */
    private static long written(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    /** The phase label and topic of {@code peer}'s phase of {@code kind}: {@code kafka-fsync-batch-64}. */
    private static String topic(ClusterPeers peer, Kind kind) {
        return peer.label() + "-" + kind.slug();
    }

    private static List<String> durability(List<ClusterPeers> peers) {
        List<String> lines = new ArrayList<>();
        lines.add("durability of an acknowledged append: embedded: fdatasync'd (syncEach()); cluster: in the Raft log"
                + " a majority of the " + NODES + " nodes fsync'd");
        for (ClusterPeers peer : peers) {
            lines.add("  " + peer.label() + ": " + peer.durability());
        }
        return lines;
    }

    private void report(WorkloadConfig config, int batch, ClusterTable table, List<String> durability,
                        PrintStream out) {
        out.println();
        for (String kind : table.kinds()) {
            out.println("== cluster, " + kind + " appends, " + config.describeThreads() + " ==");
            table.lines(kind).forEach(out::println);
        }
        durability.forEach(out::println);
        out.println("/cluster: the row's figure over the Walrus cluster's; disk B/B: bytes the data directory's disk"
                + " wrote during the row's phase (after a sync; every process on the machine counts) per payload byte;"
                + " walrus lead: the Walrus cluster's writes/s over the row's; walrus p99: its p99 over the row's");
        ClusterTable.Row embeddedBatch = table.row(table.kinds().get(1), ClusterTable.EMBEDDED);
        ClusterTable.Row clusterBatch = table.row(table.kinds().get(1), ClusterTable.CLUSTER);
        if (embeddedBatch.ran() && clusterBatch.ran()) {
            double ratio = clusterBatch.phase().writesPerSecond() / embeddedBatch.phase().writesPerSecond();
            out.println(String.format(Locale.ROOT, "target: batch appends replicated >= 0.50x the embedded sync-each"
                    + " batch throughput: %.2fx, %s", ratio, ratio >= 0.5 ? "met" : "MISSED"));
        }
        String stem = name() + "-" + config.threads() + "t-batch" + batch + "-" + LocalDateTime.now().format(FILE_TIME);
        try {
            Path csv = table.writeCsv(CsvProgressLog.RESULTS_DIR, stem);
            out.println("csv: " + csv);
            for (String kind : table.kinds()) {
                Path png = PngFiles.besideCsv(csv.resolveSibling(stem + "-" + kind.replace(' ', '-') + ".csv"));
                out.println("chart: " + ComparisonChart.write(png, "bench-cluster " + kind + " appends, replicated"
                        + " 3 ways: writes/s, " + config.describeThreads(), table.bars(kind), 1, "writes/s"));
            }
        } catch (IOException | RuntimeException | LinkageError notWritten) {
            out.println("csv or chart: not written (" + notWritten + ")");
        }
    }

    private static WorkloadConfig withBatch(WorkloadConfig config, int batch) {
        return new WorkloadConfig(FsyncMode.syncEach(), config.threads(), config.duration(), batch, config.backend(),
                config.dataDir(), 1);
    }
}
