package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;

import io.walrus.Entry;
import io.walrus.TopicStats;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        List<String> first = byNode.values().iterator().next();
        for (Map.Entry<String, List<String>> node : byNode.entrySet()) {
            assertEquals(first, node.getValue(), "topic '" + topic + "' on node " + node.getKey()
                    + " differs from node " + byNode.keySet().iterator().next());
        }
        return first;
    }

    /**
     * Every topic a stopped node holds, as text, read from its data directory: each Walrus instance
     * under {@code raft/<group>/sm/walrus} (one per Raft group the node serves; a topic lives in one).
     * The node must have run with the default {@code --block-size} and {@code --blocks-per-file}.
     *
     * @throws IllegalStateException if a topic no longer starts at its first entry (consumed files were
     *                               deleted: what was there cannot be checked) or is in two instances
     */
    static Map<String, List<String>> onDisk(Path dataDir) throws IOException {
        Map<String, List<String>> topics = new TreeMap<>();
        for (Path instance : walrusInstances(dataDir)) {
            try (Walrus walrus = NodeStorage.DEFAULT.open(instance)) {
                for (TopicStats topic : walrus.stats().topics()) {
                    long first = topic.nextSequence() - topic.entries();
                    if (first != 0) {
                        throw new IllegalStateException("topic '" + topic.topic() + "' in " + instance
                                + " starts at entry " + first + ": consumed files were deleted");
                    }
                    if (topics.put(topic.topic(), readAll(walrus, topic.topic())) != null) {
                        throw new IllegalStateException("topic '" + topic.topic() + "' is in two Walrus instances under "
                                + dataDir);
                    }
                }
            }
        }
        return topics;
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

    private static List<String> readAll(Walrus walrus, String topic) throws IOException {
        List<String> entries = new ArrayList<>();
        while (true) {
            List<Entry> page = walrus.readFrom(topic, entries.size(), 4 << 20, Walrus.MAX_BATCH_ENTRIES);
            if (page.isEmpty()) {
                return entries;
            }
            page.forEach(e -> entries.add(new String(e.data(), StandardCharsets.UTF_8)));
        }
    }
}
