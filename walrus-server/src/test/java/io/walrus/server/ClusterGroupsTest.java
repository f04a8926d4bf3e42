package io.walrus.server;

import io.walrus.client.ClusterSettings;
import io.walrus.client.GroupLayout;
import io.walrus.client.WalrusClient;
import io.walrus.client.wire.Command;
import io.walrus.client.wire.CommandCodec;
import io.walrus.client.wire.Reply;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topics spread over several Raft groups, one per node by default, each group led by another node
 * when it can be; a topic lives in one group on every node.
 */
class ClusterGroupsTest {
    private static final long LEADERSHIP_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void eachNodeLeadsOneGroupAndTakesItBackAfterARestart() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            try {
                assertEquals(3, client.layout().count(), "one group per node by default");
                Scrape.awaitTrue(LEADERSHIP_SECONDS, "group i to be led by node n(i+1)", () -> preferredLeadersLead(cluster, client));

                String topic = topicInGroup(client.layout(), 1, "t");
                TestNode n2 = cluster.node("n2");
                n2.kill();
                client.appendForTopic(topic, bytes("while n2 is down"));
                Optional<TestNode> standIn = cluster.leader(client, 1);
                assertTrue(standIn.isPresent() && standIn.get() != n2, "another node leads group 1: " + standIn);

                n2.start();
                Scrape.awaitTrue(LEADERSHIP_SECONDS, "n2 to lead group 1 again", () -> preferredLeadersLead(cluster, client));
                client.appendForTopic(topic, bytes("after n2 came back"));
                assertEquals(List.of("while n2 is down", "after n2 came back"), Replicas.agreed(client, topic, client.lastWrites()));
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    @Test
    void everyTopicLivesInItsOwnGroupOnEveryNode() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            try {
                GroupLayout layout = client.layout();
                Map<Integer, Map<String, Long>> expected = new TreeMap<>();
                for (int i = 0; i < 12; i++) {
                    String topic = "topic-" + i;
                    for (int e = 0; e <= i; e++) {
                        client.appendForTopic(topic, bytes(topic + "/" + e));
                    }
                    expected.computeIfAbsent(layout.groupOf(topic), g -> new TreeMap<>()).put(topic, (long) i + 1);
                }
                assertEquals(3, expected.size(), "twelve topics fall into all three groups: " + expected);
                client.awaitCommittedOnEveryNode(client.lastWrites());
                for (RaftPeer peer : client.peers()) {
                    for (int group = 0; group < layout.count(); group++) {
                        Reply.NodeState state = client.nodeState(peer, group, client.lastWrites().index(group));
                        Map<String, Long> held = new TreeMap<>();
                        state.topics().forEach(t -> held.put(t.topic(), t.entries()));
                        assertEquals(expected.getOrDefault(group, Map.of()), held, "group " + group + " on " + peer.getId());
                    }
                }
                for (int i = 0; i < 12; i++) {
                    assertEquals(i + 1, Replicas.agreed(client, "topic-" + i, client.lastWrites()).size());
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    /** Named consumers live in every group: one reads topics of every group and is listed once. */
    @Test
    void aNamedConsumerReadsTopicsOfEveryGroupAndIsRemovedFromAll() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            try {
                List<String> topics = IntStream.range(0, 3).mapToObj(g -> topicInGroup(client.layout(), g, "c")).toList();
                for (String topic : topics) {
                    client.appendForTopic(topic, bytes(topic + "/0"));
                    client.appendForTopic(topic, bytes(topic + "/1"));
                }
                var reader = client.consumer("reader");
                assertEquals(List.of("reader"), client.consumers());
                for (String topic : topics) {
                    assertEquals(topic + "/0", text(reader.readNext(topic, true).orElseThrow().data()));
                }
                for (String topic : topics) {
                    assertEquals(topic + "/1", text(reader.readNext(topic, true).orElseThrow().data()));
                    assertEquals(Optional.empty(), reader.readNext(topic, true));
                }
                assertTrue(client.removeConsumer("reader"));
                assertEquals(List.of(), client.consumers());
                for (String topic : topics) {
                    IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                            () -> reader.readNext(topic, true));
                    assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    /** A client that placed a topic in the wrong group (another rule, a bug) writes nothing there. */
    @Test
    void aGroupRefusesAnAppendToATopicOfAnotherGroup() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            try {
                String misplaced = topicInGroup(client.layout(), 1, "m");
                RaftProperties properties = new RaftProperties();
                RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
                ClusterSettings.applyTransportLimits(properties);
                RaftGroup groupZero = RaftGroup.valueOf(client.layout().id(0), client.peers());
                String refusal;
                try (RaftClient raw = RaftClient.newBuilder().setProperties(properties).setRaftGroup(groupZero)
                        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(100,
                                org.apache.ratis.util.TimeDuration.ONE_SECOND)).build()) {
                    Message append = Message.valueOf(ByteString.copyFrom(
                            CommandCodec.encode(new Command.Append(misplaced, bytes("lost?")))));
                    try {
                        RaftClientReply reply = raw.io().send(append);
                        assertTrue(!reply.isSuccess(), "group 0 took an append to a topic of group 1");
                        refusal = String.valueOf(reply.getException());
                    } catch (StateMachineException e) {
                        refusal = e.getMessage();
                    }
                }
                assertTrue(refusal.contains("topic '" + misplaced + "' belongs to Raft group 1 of 3, not to group 0"), refusal);
                client.appendForTopic(misplaced, bytes("placed right"));
                assertEquals(List.of("placed right"), Replicas.agreed(client, misplaced, client.lastWrites()));
                for (RaftPeer peer : client.peers()) {
                    assertEquals(List.of(), client.nodeState(peer, 0, client.lastWrites().index(0)).topics(),
                            "group 0 on " + peer.getId() + " holds no topic");
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    /** Whether group i is led by node n(i+1) for every group, as the nodes report it. */
    private static boolean preferredLeadersLead(LocalCluster cluster, WalrusClient client) {
        Map<Integer, String> leaders = new HashMap<>();
        for (int group = 0; group < client.layout().count(); group++) {
            for (RaftPeer peer : client.peers()) {
                if (!cluster.node(peer.getId().toString()).isAlive()) {
                    continue;
                }
                try {
                    if (client.groupInfo(peer, group).getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                        leaders.put(group, peer.getId().toString());
                    }
                } catch (IOException | RuntimeException e) {
                    // Not answering now: ask again on the next round.
                }
            }
        }
        for (int group = 0; group < client.layout().count(); group++) {
            if (!("n" + (group + 1)).equals(leaders.get(group))) {
                return false;
            }
        }
        return true;
    }

    /** The first of prefix-0, prefix-1, ... that the layout puts in {@code group}. */
    static String topicInGroup(GroupLayout layout, int group, String prefix) {
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + "-" + i)
                .filter(t -> layout.groupOf(t) == group).findFirst().orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
