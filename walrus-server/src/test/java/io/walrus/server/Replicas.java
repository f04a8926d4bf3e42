package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;

import io.walrus.Walrus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads a topic from every node alone, once each holds a client's writes, and checks they agree; or
 * reads what a stopped node holds from its data directory. The one place that knows how a node keeps
 * its entries.
 */
final class Replicas {
    private Replicas() {
    }

    /** Every entry of {@code topic} on {@code node} once it holds the writes of {@code mark}, as text. */
    static List<String> entries(WalrusClient client, RaftPeer node, String topic, WriteMark mark) throws IOException {
        List<String> entries = new ArrayList<>();
        while (true) {
            Reply.Entries page = client.scanNode(node, topic, entries.size(), 2000, mark);
            if (page.payloads().isEmpty()) {
                return entries;
            }
            page.payloads().forEach(p -> entries.add(new String(p, StandardCharsets.UTF_8)));
        }
    }

    /** {@code topic} on every node: the lists must be equal; returns the one they share. */
    static List<String> agreed(WalrusClient client, String topic, WriteMark mark) throws IOException {
        client.awaitCommittedOnEveryNode(mark);
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (RaftPeer node : client.peers()) {
            byNode.put(node.getId().toString(), entries(client, node, topic, mark));
        }
        Map.Entry<String, List<String>> first = byNode.entrySet().iterator().next();
        for (Map.Entry<String, List<String>> node : byNode.entrySet()) {
            if (!first.getValue().equals(node.getValue())) {
                fail("topic '" + topic + "' on node " + node.getKey() + " differs from node " + first.getKey() + ": "
                        + difference(first.getValue(), node.getValue()));
            }
        }
        return first.getValue();
    }

    /**
     * Where two nodes' entries part (a whole list of thousands says nothing a reader can see): the
     * sizes, the first place they differ with a few entries around it in each, and each one's end.
     */
    static String difference(List<String> a, List<String> b) {
        int at = 0;
        while (at < a.size() && at < b.size() && a.get(at).equals(b.get(at))) {
            at++;
        }
        return a.size() + " entries against " + b.size() + "; first difference at entry " + at + ": "
                + around(a, at) + " against " + around(b, at) + "; they end " + around(a, a.size() - 1)
                + " and " + around(b, b.size() - 1);
    }

    private static String around(List<String> entries, int at) {
        int from = Math.max(0, at - 2);
        int to = Math.min(entries.size(), at + 3);
        return from >= to ? "[]" : "[" + from + ": " + String.join(", ", entries.subList(from, to)) + "]";
    }

    /**
     * Appends an entry in every Raft group and returns how far the client's writes went: a mark that
     * covers, in each group, every write made before, acknowledged or not. (An append that failed may
     * still be committed later, at a log index above every acknowledged one of its group; a mark of the
     * acknowledged writes alone would not cover it, and nodes read at that mark could differ by it.)
     * An append may fail while a group's leadership moves (a restarted node taking its group back):
     * each is retried until acknowledged, for at most {@code BARRIER_SECONDS}.
     */
    static WriteMark barrierInEveryGroup(WalrusClient client) throws IOException, InterruptedException {
        for (int group = 0; group < client.layout().count(); group++) {
            String topic = ClusterGroupsTest.topicInGroup(client.layout(), group, "barrier");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BARRIER_SECONDS);
            while (true) {
                try {
                    client.appendForTopic(topic, new byte[1]);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    // Asking again at once would only meet the same hand-over.
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
        }
        return client.lastWrites();
    }

    private static final long BARRIER_SECONDS = 120;

    /**
     * Every topic a stopped node holds, as text, read from its data directory: in each Raft group
     * under {@code raft/<group>/sm}, the entries its latest snapshot says were applied, from the
     * Walrus instance under {@code walrus} (a node takes a snapshot of all it applied when it stops
     * cleanly). The node must have run with the default {@code --block-size} and {@code --blocks-per-file}.
     *
     * @throws IllegalStateException if a topic no longer starts at its first entry (consumed files were
     *                               deleted: what was there cannot be checked) or is in two groups
     */
    static Map<String, List<String>> onDisk(Path dataDir) throws IOException {
        Map<String, List<String>> topics = new TreeMap<>();
        for (Path instance : walrusInstances(dataDir)) {
            ReplicatedState state = latestSnapshot(instance.getParent());
            try (Walrus walrus = NodeStorage.DEFAULT.open(instance)) {
                for (Map.Entry<String, Long> topic : state.appliedEntries().entrySet()) {
                    long first = walrus.stats().topic(topic.getKey()).map(t -> t.nextSequence() - t.entries()).orElse(0L);
                    if (first != 0) {
                        throw new IllegalStateException("topic '" + topic.getKey() + "' in " + instance
                                + " starts at entry " + first + ": consumed files were deleted");
                    }
                    List<String> entries = readAll(walrus, topic.getKey(), state.dead(topic.getKey()), topic.getValue());
                    if (topics.put(topic.getKey(), entries) != null) {
                        throw new IllegalStateException("topic '" + topic.getKey() + "' is in two Raft groups under " + dataDir);
                    }
                }
            }
        }
        return topics;
    }

    /** The state of the snapshot with the highest index in a group's {@code sm} directory (an empty one if none). */
    private static ReplicatedState latestSnapshot(Path stateMachineDirectory) throws IOException {
        try (Stream<Path> files = Files.list(stateMachineDirectory)) {
            Path latest = files.filter(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
                    .max(java.util.Comparator.comparingLong(f -> Long.parseLong(f.getFileName().toString()
                            .substring(f.getFileName().toString().indexOf('_') + 1))))
                    .orElse(null);
            return latest == null ? new ReplicatedState() : StateSnapshotFile.read(latest);
        }
    }

    private static List<Path> walrusInstances(Path dataDir) throws IOException {
        try (Stream<Path> groups = Files.list(dataDir.resolve("raft"))) {
            List<Path> instances = groups.map(group -> group.resolve("sm").resolve("walrus")).filter(Files::isDirectory)
                    .sorted().toList();
            if (instances.isEmpty()) {
                throw new IllegalStateException("no Walrus instance under " + dataDir.resolve("raft"));
            }
            return instances;
        }
    }

    private static List<String> readAll(Walrus walrus, String topic, DeadEntries dead, long applied) throws IOException {
        List<String> entries = new ArrayList<>();
        while (entries.size() < applied) {
            int page = (int) Math.min(Walrus.MAX_BATCH_ENTRIES, applied - entries.size());
            for (byte[] payload : AppliedPayloads.read(walrus, topic, dead, entries.size(), 4 << 20, page)) {
                entries.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
