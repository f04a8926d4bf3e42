package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads a topic from every node alone, once each has applied a given log index, and checks they agree. */
final class Replicas {
    private Replicas() {
    }

    /** Every entry of {@code topic} on {@code node} after it applied {@code minIndex}, as text. */
    static List<String> entries(WalrusClient client, RaftPeer node, String topic, long minIndex) throws IOException {
        List<String> entries = new ArrayList<>();
        while (true) {
            Reply.Entries page = client.scanNode(node, topic, entries.size(), 2000, minIndex);
            if (page.payloads().isEmpty()) {
                return entries;
            }
            page.payloads().forEach(p -> entries.add(new String(p, StandardCharsets.UTF_8)));
        }
    }

    /** {@code topic} on every node: the lists must be equal; returns the one they share. */
    static List<String> agreed(WalrusClient client, String topic, long minIndex) throws IOException {
        client.awaitCommittedOnEveryNode(minIndex);
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (RaftPeer node : client.peers()) {
            byNode.put(node.getId().toString(), entries(client, node, topic, minIndex));
        }
        List<String> first = byNode.values().iterator().next();
        for (Map.Entry<String, List<String>> node : byNode.entrySet()) {
            assertEquals(first, node.getValue(), "topic '" + topic + "' on node " + node.getKey()
                    + " differs from node " + byNode.keySet().iterator().next());
        }
        return first;
    }
}
