package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three node processes on loopback, four client threads appending, and nodes killed with SIGKILL in
 * the middle: the leader, then (after it restarted) another node. Every acknowledged append must then
 * be on every node exactly once, in the same order on all three, and nothing must be there that was
 * never appended.
 */
class ClusterFailoverTest {
    private static final List<String> TOPICS = List.of("orders", "events", "audit");

    @TempDir
    Path dir;

    @Test
    void acknowledgedAppendsSurviveKilledLeaderAndFollowerOnceEachInOneOrderOnEveryNode() throws Exception {
        runFailover(0);
    }

    @Test
    void batchesAreWholeOrAbsentOnEveryNodeAcrossKilledLeader() throws Exception {
        runFailover(25);
    }

    private void runFailover(int batchSize) throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            Writers writers = new Writers(client, 4, TOPICS, batchSize);
            try {
                writers.start();
                long step = batchSize == 0 ? 100 : 10L * batchSize;
                writers.acks.awaitAtLeast(step, 120, "appends before the first kill");

                TestNode firstKilled = cluster.leader(client, TOPICS.getFirst()).orElseThrow(() -> new AssertionError("no leader"));
                firstKilled.kill();
                writers.acks.awaitAtLeast(writers.acks.get() + step, 120, "appends after the leader was killed");

                firstKilled.start();
                writers.acks.awaitAtLeast(writers.acks.get() + step, 120, "appends after it came back");

                TestNode secondKilled = cluster.leader(client, TOPICS.getFirst()).filter(n -> n != firstKilled)
                        .orElseGet(() -> cluster.nodes.stream().filter(n -> n != firstKilled).findFirst().orElseThrow());
                secondKilled.kill();
                writers.acks.awaitAtLeast(writers.acks.get() + step, 120, "appends after another node was killed");
                writers.stop();
                secondKilled.start();

                WriteMark index = Replicas.barrierInEveryGroup(client);
                assertTrue(writers.acknowledgedCount() >= 4 * step, "too few appends acknowledged");
                for (String topic : TOPICS) {
                    writers.checkTopic(topic, Replicas.agreed(client, topic, index));
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nfailed appends: " + writers.failedCalls()
                        + "\nnode output:\n" + cluster.outputs(), e);
            } finally {
                writers.stop();
            }
        }
    }
}
