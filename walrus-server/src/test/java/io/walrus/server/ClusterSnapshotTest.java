package io.walrus.server;

import io.walrus.client.WalrusClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that was down while the others wrote, took snapshots and purged their Raft logs past
 * where it stopped can only catch up from a snapshot (the Walrus files and the replicated state,
 * sent by the leader): afterwards it holds exactly what the others hold.
 */
class ClusterSnapshotTest {
    private static final Pattern SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

    @TempDir
    Path dir;

    @Test
    void nodeDownWhileTheLogWasPurgedCatchesUpBySnapshot() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, "--snapshot-every", "50", "--purge-gap", "10",
                "--log-segment-size", "16384").start()) {
            WalrusClient client = cluster.client();
            List<String> expected = new ArrayList<>();
            try {
                append(client, expected, 0, 100);
                client.awaitCommittedOnEveryNode(client.lastWrites());
                long stoppedAt = client.lastWrites().index(client.layout().groupOf("snap"));
                TestNode lagging = cluster.node("n3");
                lagging.kill();

                append(client, expected, 100, 600);
                for (TestNode node : cluster.nodes) {
                    if (node != lagging) {
                        long first = firstLogIndex(cluster.groupDirectory(node, client, "snap")).orElseThrow();
                        assertTrue(first > stoppedAt + 1, "node " + node.id + "'s log starts at " + first
                                + ", so it was not purged past " + stoppedAt + ", where n3 stopped");
                    }
                }

                lagging.start();
                client.appendForTopic("barrier", new byte[1]);
                assertEquals(expected, Replicas.agreed(client, "snap", client.lastWrites()));
                assertTrue(client.readNext("snap", true).isPresent());
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    private static void append(WalrusClient client, List<String> expected, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            String entry = "s-" + i;
            if (i % 10 == 0) {
                List<byte[]> batch = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    batch.add((entry + "." + j).getBytes(StandardCharsets.UTF_8));
                    expected.add(entry + "." + j);
                }
                client.batchAppendForTopic("snap", batch);
            } else {
                client.appendForTopic("snap", entry.getBytes(StandardCharsets.UTF_8));
                expected.add(entry);
            }
        }
    }

    /** The first index any Raft log segment of a group's directory still holds. */
    private static OptionalLong firstLogIndex(Path groupDir) throws IOException {
        try (Stream<Path> files = Files.walk(groupDir.resolve("current"))) {
            return files.map(f -> SEGMENT.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .min();
        }
    }
}
