package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Members added and removed, and leadership moved, while clients write: nothing acknowledged is
 * lost or doubled, on any member.
 */
class ClusterMembershipTest {
    private static final List<String> TOPICS = List.of("orders", "events", "audit", "clicks");
    private static final long STEP = 100;
    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path dir;

    /**
     * Four groups on three nodes (n1 prefers two of them); n4 joins and, once caught up, leads group 3;
     * then n1 leaves and is killed. Every acknowledged append is on every remaining member once, in order.
     */
    @Test
    void aNodeAddedWhileClientsWriteCatchesUpAndLeadsItsShareAndARemovedNodeTakesNothingWithIt() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, "--groups", "4").start()) {
            WalrusClient client = cluster.client();
            Writers writers = new Writers(client, 4, TOPICS, 0);
            try {
                writers.start();
                writers.acks.awaitAtLeast(STEP, WAIT_SECONDS, "appends before the new node");

                TestNode n4 = cluster.join("n4");
                client.addNode("n4", "127.0.0.1:" + n4.port);
                assertEquals(Set.of("n1", "n2", "n3", "n4"), ids(client.peers()));
                writers.acks.awaitAtLeast(writers.acks.get() + STEP, WAIT_SECONDS, "appends after n4 was added");
                Scrape.awaitTrue(WAIT_SECONDS, "n4 to lead group 3, its share", () -> leads(client, "n4", 3));

                assertTrue(client.removeNode("n1"));
                assertEquals(Set.of("n2", "n3", "n4"), ids(client.peers()));
                cluster.node("n1").kill();
                writers.acks.awaitAtLeast(writers.acks.get() + STEP, WAIT_SECONDS, "appends after n1 left");
                assertFalse(client.removeNode("n1"), "n1 is no member any more");
                writers.stop();

                WriteMark mark = Replicas.barrierInEveryGroup(client);
                for (String topic : TOPICS) {
                    writers.checkTopic(topic, Replicas.agreed(client, topic, mark));
                }
                for (int group = 0; group < 4; group++) {
                    for (RaftPeer peer : client.peers()) {
                        assertEquals(Set.of("n2", "n3", "n4"),
                                ids(client.groupInfo(peer, group).getGroup().getPeers()), "group " + group + " on " + peer);
                    }
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nfailed appends: " + writers.failedCalls()
                        + "\nnode output:\n" + cluster.outputs(), e);
            } finally {
                writers.stop();
            }
        }
    }

    @Test
    void leadershipMovesWhereItIsSentAndTheNodeBecomesTheGroupsPreferredLeader() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            try {
                client.transferLeader(0, "n3");
                assertTrue(leads(client, "n3", 0), "n3 leads group 0 once the transfer returned");
                for (RaftPeer peer : client.groupInfo(client.peers().getFirst(), 0).getGroup().getPeers()) {
                    if (!peer.getId().toString().equals("n3")) {
                        assertTrue(peer.getPriority() < priority(client, "n3"), "n3 has the highest priority: " + peer);
                    }
                }
                String topic = ClusterGroupsTest.topicInGroup(client.layout(), 0, "g");
                client.appendForTopic(topic, new byte[] {1});
                assertEquals(1, client.committedEntries(topic));
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    private static int priority(WalrusClient client, String id) throws IOException {
        return client.groupInfo(client.peers().getFirst(), 0).getGroup().getPeers().stream()
                .filter(p -> p.getId().toString().equals(id)).findFirst().orElseThrow().getPriority();
    }

    /** Whether node {@code id} says it leads {@code group}. */
    private static boolean leads(WalrusClient client, String id, int group) {
        RaftPeer node = client.peers().stream().filter(p -> p.getId().toString().equals(id)).findFirst().orElseThrow();
        try {
            return client.groupInfo(node, group).getRoleInfoProto().getRole() == RaftPeerRole.LEADER;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Set<String> ids(java.util.Collection<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId().toString()).collect(Collectors.toSet());
    }
}
