package io.walrus.server;

import io.walrus.WalrusConsumer;
import io.walrus.client.WalrusClient;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deletion of consumed files on every node, from the replicated cursors: a node deletes, when it
 * takes a snapshot, the Walrus files every consumer that counts has read; a consumer that has not
 * read holds them; a consumer created later starts where the others' reads allow; a node killed
 * and restarted afterwards applies its log again without reading anything deleted.
 */
class ClusterRetentionTest {
    private static final int ENTRIES = 600;
    private static final String FIRST_FILE = "00000000000000000000.wal";
    /** Snapshots on every node at most, for the log to be purged and the consumed files to go. */
    private static final int PURGE_ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void filesEveryConsumerReadAreDeletedOnEveryNodeAndReadsGoOnAcrossARestart() throws Exception {
        // Small log segments, purged right behind each snapshot: a node deletes a consumed file only
        // once its Raft log holds none of the file's entries (it may have to send those to a follower).
        try (LocalCluster cluster = new LocalCluster(dir, 3, "--block-size", "65536", "--blocks-per-file", "2",
                "--log-segment-size", "4096", "--purge-gap", "1", "--ratis", "raft.server.snapshot.creation.gap=1").start()) {
            WalrusClient client = cluster.client();
            try {
                WalrusConsumer audit = client.consumer("audit");
                List<byte[]> batch = new ArrayList<>();
                for (int i = 0; i < ENTRIES; i++) {
                    batch.add(payload(i));
                    if (batch.size() == 50) {
                        client.batchAppendForTopic("r", batch);
                        batch.clear();
                    }
                }
                assertEquals(ENTRIES, drain(client));

                snapshotEveryNode(client);
                for (TestNode node : cluster.nodes) {
                    assertTrue(Files.exists(walrusDir(cluster, client, node).resolve(FIRST_FILE)),
                            "consumer 'audit' has read nothing, so node " + node.id + " keeps every file");
                }

                for (int i = 0; i < 400; i++) {
                    assertEquals("e-" + i, text(audit.readNext("r", true).orElseThrow()));
                }
                // The first snapshot lets Ratis purge the log behind it (in the background), a later one
                // finds the log past the file's entries and deletes it.
                for (int round = 0; round < PURGE_ROUNDS && !deletedEverywhere(cluster, client); round++) {
                    snapshotEveryNode(client);
                }
                for (TestNode node : cluster.nodes) {
                    assertTrue(Files.notExists(walrusDir(cluster, client, node).resolve(FIRST_FILE)),
                            "node " + node.id + " deleted the files every consumer read, within " + PURGE_ROUNDS
                                    + " snapshots");
                }

                WalrusConsumer late = client.consumer("late");
                assertEquals("e-400", text(late.readNext("r", true).orElseThrow()),
                        "a consumer created now starts where the others' reads let files go");
                for (RaftPeer peer : client.peers()) {
                    Reply.Entries first = client.scanNode(peer, "r", 0, 1, client.lastWrites());
                    assertEquals("e-" + first.firstSequence(), text(first.payloads().getFirst()),
                            "a scan from 0 on node " + peer.getId() + " starts at the first entry kept, numbered right");
                    assertTrue(first.firstSequence() > 0 && first.firstSequence() <= 400);
                }

                TestNode restarted = cluster.node("n1");
                restarted.kill();
                restarted.start();
                for (int i = 400; i < ENTRIES; i++) {
                    assertEquals("e-" + i, text(audit.readNext("r", true).orElseThrow()));
                }
                assertEquals(Optional.empty(), audit.readNext("r", true));
                client.appendForTopic("barrier", new byte[1]);
                client.awaitCommittedOnEveryNode(client.lastWrites());
                List<List<String>> tails = new ArrayList<>();
                for (RaftPeer peer : client.peers()) {
                    List<String> tail = new ArrayList<>();
                    client.scanNode(peer, "r", 400, 2000, client.lastWrites()).payloads()
                            .forEach(p -> tail.add(text(p)));
                    tails.add(tail);
                }
                assertEquals(ENTRIES - 400, tails.getFirst().size());
                assertEquals(tails.getFirst(), tails.get(1));
                assertEquals(tails.getFirst(), tails.get(2));
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    private static boolean deletedEverywhere(LocalCluster cluster, WalrusClient client) {
        return cluster.nodes.stream().allMatch(node -> Files.notExists(walrusDir(cluster, client, node).resolve(FIRST_FILE)));
    }

    private static int drain(WalrusClient client) throws IOException {
        int read = 0;
        List<?> page;
        while (!(page = client.batchReadForTopic("r", 64 << 10, true)).isEmpty()) {
            read += page.size();
        }
        return read;
    }

    /** A snapshot of topic r's group on every node, once each holds everything written so far (r's cursors moved). */
    private static void snapshotEveryNode(WalrusClient client) throws IOException {
        int group = client.layout().groupOf("r");
        // An entry in r's group, so each node has applied one since its last snapshot there.
        String tick = java.util.stream.IntStream.iterate(0, i -> i + 1).mapToObj(i -> "tick-" + i)
                .filter(t -> client.layout().groupOf(t) == group).findFirst().orElseThrow();
        client.appendForTopic(tick, new byte[1]);
        client.awaitCommittedOnEveryNode(client.lastWrites());
        for (RaftPeer peer : client.peers()) {
            client.nodeState(peer, group, client.lastWrites().index(group));
            client.takeSnapshot(peer, group);
        }
    }

    private static Path walrusDir(LocalCluster cluster, WalrusClient client, TestNode node) {
        return cluster.groupDirectory(node, client, "r").resolve("sm").resolve(WalrusStateMachine.WALRUS_DIRECTORY);
    }

    /** {@code e-<i>|} and padding: 1 KiB, so 600 entries fill about ten 64 KiB blocks, five files. */
    private static byte[] payload(int i) {
        byte[] text = ("e-" + i + "|").getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(text, 1024);
    }

    private static String text(io.walrus.Entry entry) {
        return text(entry.data());
    }

    private static String text(byte[] payload) {
        String all = new String(payload, StandardCharsets.UTF_8);
        return all.substring(0, all.indexOf('|'));
    }
}
