package io.walrus.server;

import io.walrus.client.TlsFiles;
import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Reply;

import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose certificate another CA signed (its trust file is the others'), started as the third
 * member of a three-node group: the two others form the majority and serve; it never takes part.
 * After they committed twenty appends its Raft log is still empty (a follower the leader reaches
 * has the leader's first entry from the first heartbeat on), and it does not lead.
 */
class ClusterTlsNodeTest {
    private static final int APPENDS = 20;

    @TempDir
    Path dir;

    @Test
    void aNodeWithACertificateOfAnotherAuthorityNeverJoinsWhileTheOthersServe() throws Exception {
        TestAuthority authority = TestAuthority.create(dir.resolve("pki"), "walrus-test");
        TestAuthority other = TestAuthority.create(dir.resolve("other-pki"), "other");
        TlsFiles wrong = other.issueNode("n3");
        Map<String, TlsFiles> nodes = Map.of("n1", authority.issueNode("n1"), "n2", authority.issueNode("n2"),
                "n3", new TlsFiles(wrong.certificateChain(), wrong.privateKey(), authority.certificateFile));
        TlsFiles app = authority.issueClient("app");

        try (LocalCluster cluster = new LocalCluster(dir, 3, id -> TlsOptions.of(nodes.get(id))).start();
             WalrusClient client = WalrusClient.builder().addresses(cluster.addresses()).timeout(Duration.ofSeconds(60))
                     .tls(app).connect()) {
            try {
                List<String> appended = new ArrayList<>();
                for (int i = 0; i < APPENDS; i++) {
                    appended.add("entry-" + i);
                    client.appendForTopic("orders", appended.getLast().getBytes(StandardCharsets.UTF_8));
                }
                WriteMark written = client.lastWrites();
                int group = client.layout().groupOf("orders");
                assertEquals(appended, client.scan("orders", 0, 1 << 20, APPENDS + 1).payloads().stream()
                        .map(p -> new String(p, StandardCharsets.UTF_8)).toList());
                for (String good : List.of("n1", "n2")) {
                    assertEquals(APPENDS, entries(client.nodeState(peer(client, good), group, written.index(group))), "entries on " + good);
                }

                // n3 itself, asked by a client that trusts n3's CA (and presents a certificate n3 accepts).
                TlsFiles trustingN3 = new TlsFiles(app.certificateChain(), app.privateKey(), other.certificateFile);
                TestNode n3 = cluster.node("n3");
                try (WalrusClient probe = WalrusClient.builder().addresses("n3=127.0.0.1:" + n3.port)
                        .timeout(Duration.ofSeconds(30)).tls(trustingN3).connect()) {
                    // Its Raft log and role as it reports them (its state machine serves no read: it
                    // has no commit index to read at).
                    for (int g = 0; g < probe.layout().count(); g++) {
                        GroupInfoReply info = probe.groupInfo(peer(probe, "n3"), g);
                        assertTrue(info.isSuccess(), "n3 did not answer for group " + g + ": " + info.getException());
                        LogInfoProto log = info.getLogInfoProto();
                        assertFalse(log.hasLastEntry(), "n3's Raft log of group " + g + " holds entries up to "
                                + log.getLastEntry());
                        assertFalse(log.hasCommitted(), "n3 committed up to " + log.getCommitted() + " in group " + g);
                        assertNotEquals(RaftPeerRole.LEADER, info.getRoleInfoProto().getRole());
                    }
                }
                assertTrue(cluster.leader(client, "orders").filter(n -> !n.id.equals("n3")).isPresent(), "n1 or n2 leads");
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    private static RaftPeer peer(WalrusClient client, String id) {
        return client.peers().stream().filter(p -> p.getId().toString().equals(id)).findFirst().orElseThrow();
    }

    private static long entries(Reply.NodeState state) {
        return state.topics().stream().filter(t -> t.topic().equals("orders")).mapToLong(Reply.TopicState::entries)
                .findFirst().orElse(0);
    }
}
