package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that applies its log again after a SIGKILL must move every cursor exactly as it did the
 * first time, although its Walrus instance already holds entries appended later in the log: a
 * checkpointing read that found nothing then finds nothing again. (Found by the fault campaign,
 * seed 1: the restarted node's replayed empty read took the entry appended after it, its cursor ran
 * one ahead of the others', and a consumer reading through it once it led skipped that entry.)
 */
class ClusterCursorReplayTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointReadAppliedAgainAfterKill9MovesTheCursorAsItDidTheFirstTime() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            try {
                assertEquals(Optional.empty(), client.readNext("t", true), "a read of the empty topic");
                client.appendForTopic("t", "a".getBytes(StandardCharsets.UTF_8));
                client.awaitCommittedOnEveryNode(client.lastWrites());

                // Its Walrus keeps 'a' (the page cache outlives the process); its log is applied again from the start.
                TestNode replaying = cluster.node("n3");
                replaying.kill();
                replaying.start();
                client.appendForTopic("barrier", new byte[1]);
                WriteMark written = client.lastWrites();
                client.awaitCommittedOnEveryNode(written);
                int group = client.layout().groupOf("t");
                for (RaftPeer peer : client.peers()) {
                    Reply.TopicState topic = client.nodeState(peer, group, written.index(group)).topics().stream()
                            .filter(t -> t.topic().equals("t")).findFirst().orElseThrow();
                    assertEquals(0, topic.cursor(), "the default cursor of 't' on node " + peer.getId());
                }
                assertEquals("a", new String(client.readNext("t", true).orElseThrow().data(), StandardCharsets.UTF_8));
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }
}
