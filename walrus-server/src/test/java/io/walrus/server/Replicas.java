package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads a topic from every node alone, once each holds a client's writes, and checks they agree. */
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
}
