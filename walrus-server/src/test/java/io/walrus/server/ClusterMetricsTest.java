package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Reply;

import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each node's {@code /metrics} and {@code /ready} ({@code --metrics-port 0}), scraped over loopback
 * from three real node processes: the figures agree with what the test did to the cluster, and
 * readiness follows the leader through a SIGKILL; a node alone, with no majority, is not ready and
 * says why.
 */
class ClusterMetricsTest {
    private static final int APPENDS = 30;
    private static final int BATCH = 20;

    @TempDir
    Path dir;

    @Test
    void everyNodeReportsWhatWasAppliedAndStaysReadyAcrossAKilledLeader() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, "--metrics-port", "0").start()) {
            try {
                WalrusClient client = cluster.client();
                for (int i = 0; i < APPENDS; i++) {
                    client.appendForTopic("orders", ("order-" + i).getBytes(StandardCharsets.UTF_8));
                }
                List<byte[]> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(("event-" + i).getBytes(StandardCharsets.UTF_8));
                }
                client.batchAppendForTopic("events", batch);
                WriteMark written = client.lastWrites();
                client.awaitCommittedOnEveryNode(written);
                int groups = client.layout().count();
                String orders = Integer.toString(client.layout().groupOf("orders"));
                long index = written.index(client.layout().groupOf("orders"));

                // Exactly one leader of each group: asked again while an election is under way.
                for (int g = 0; g < groups; g++) {
                    String group = Integer.toString(g);
                    Scrape.awaitTrue(60, "exactly one node to report leader of group " + group,
                            () -> leaders(cluster.nodes, group).size() == 1);
                }
                TestNode leader = leaders(cluster.nodes, orders).getFirst();
                for (TestNode node : cluster.nodes) {
                    Scrape metrics = Scrape.metrics(node);
                    assertEquals(groups, metrics.all("walrus_raft_term").size(), "one term per group:\n" + metrics.text);
                    assertTrue(metrics.require("walrus_raft_applied_index", "group", orders) >= index,
                            node + " applied index below " + index + ":\n" + metrics.text);
                    assertTrue(metrics.require("walrus_raft_commit_index", "group", orders) >= index, node + ":\n" + metrics.text);
                    assertTrue(metrics.require("walrus_raft_term", "group", orders) >= 1, node + ":\n" + metrics.text);
                    assertEquals(APPENDS + 1, metrics.require("walrus_applied_appends_total"), node + ":\n" + metrics.text);
                    assertEquals(APPENDS + BATCH, metrics.require("walrus_applied_entries_total"), node + ":\n" + metrics.text);
                    assertEquals(APPENDS, metrics.require("walrus_apply_seconds_count", "command", "append"), node.toString());
                    assertEquals(1, metrics.require("walrus_apply_seconds_count", "command", "batch_append"), node.toString());
                    assertTrue(metrics.require("walrus_disk_bytes", "group", orders, "directory", "raft_log") > 0, node + ":\n" + metrics.text);
                    assertTrue(metrics.require("walrus_disk_bytes", "group", orders, "directory", "walrus") > 0, node + ":\n" + metrics.text);
                    assertTrue(metrics.require("walrus_raft_log_ops_total", "group", orders, "op", "sync") > 0, node + ":\n" + metrics.text);
                    assertEquals(node.id, metrics.all("walrus_node_info").getFirst().labels()
                            .replaceAll(".*node=\"([^\"]*)\".*", "$1"));
                    assertEquals(200, Scrape.get(node, "/ready").status(), node + ": " + Scrape.get(node, "/ready"));
                }
                // What status shows of each node (the same figures, asked over Ratis): the rates are
                // over the last seconds, so only what holds whenever it is asked is checked here
                // (RecentWritesTest checks the window itself).
                for (RaftPeer peer : client.peers()) {
                    Reply.NodeFigures figures = client.nodeFigures(peer, client.layout().groupOf("orders"));
                    assertTrue(figures.windowSeconds() >= 0 && figures.windowSeconds() <= RecentWrites.WINDOW_SECONDS,
                            peer + ": " + figures);
                    assertTrue(figures.appends() <= APPENDS + 1 && figures.entries() <= APPENDS + BATCH, peer + ": " + figures);
                    assertTrue(figures.latencySamples() <= figures.appends(), peer + ": " + figures);
                    assertTrue(figures.raftLogBytes() > 0 && figures.walrusBytes() > 0, peer + ": " + figures);
                    assertTrue(figures.logSyncP50Nanos() > 0 && figures.logSyncP99Nanos() >= figures.logSyncP50Nanos(),
                            peer + ": its Raft log was fsync'd: " + figures);
                }
                // Each append is timed by the leader that received it, never by a follower: with one
                // leader since the start (term 1) that one timed all of them; after an election
                // (a loaded machine) no more than all of them were timed, over the leaders.
                double timed = 0;
                for (TestNode node : cluster.nodes) {
                    timed += Scrape.metrics(node).all("walrus_append_seconds_count").stream()
                            .filter(sample -> sample.has("group", orders)).mapToDouble(Scrape.Sample::value).sum();
                }
                if (Scrape.metrics(leader).require("walrus_raft_term", "group", orders) == 1) {
                    assertEquals(APPENDS + 1, timed, "appends timed by the one leader there was");
                } else {
                    assertTrue(timed <= APPENDS + 1, timed + " appends timed");
                }
                Set<String> followers = cluster.nodes.stream().filter(n -> n != leader).map(n -> n.id)
                        .collect(Collectors.toSet());
                Scrape onLeader = Scrape.metrics(leader);
                assertEquals(followers, onLeader.all("walrus_raft_follower_lag_entries").stream()
                        .filter(s -> s.has("group", orders)).map(s -> s.labels().replaceAll(".*follower=\"([^\"]*)\".*", "$1")).collect(Collectors.toSet()),
                        onLeader.text);

                leader.kill();
                List<TestNode> survivors = cluster.nodes.stream().filter(n -> n != leader).toList();
                Scrape.awaitTrue(120, "a new leader among " + survivors, () -> leaders(survivors, orders).size() == 1);
                for (TestNode survivor : survivors) {
                    Scrape.awaitTrue(60, survivor + " to answer /ready with 200 under the new leader",
                            () -> ready(survivor).status() == 200);
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    @Test
    void nodeWithoutAMajorityIsNotReadyAndSaysWhy() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, "--metrics-port", "0")) {
            TestNode alone = cluster.node("n1");
            alone.start();
            // Not ready from the first answer on; the reason settles once the server has its group.
            Scrape.awaitTrue(60, "the reason to name the missing leader", () -> {
                Scrape.Response response = ready(alone);
                assertEquals(503, response.status(), response.body());
                return response.body().contains("no leader known");
            });
            Scrape metrics = Scrape.metrics(alone);
            assertEquals(List.of(0.0, 0.0, 0.0), metrics.all("walrus_raft_role").stream().filter(s -> s.has("role", "leader"))
                    .map(Scrape.Sample::value).toList(), "leads no group of three:\n" + metrics.text);
        }
    }

    /** The nodes among {@code nodes} whose /metrics say they lead group {@code group}. */
    private static List<TestNode> leaders(List<TestNode> nodes, String group) {
        List<TestNode> leaders = new ArrayList<>();
        for (TestNode node : nodes) {
            try {
                if (Scrape.metrics(node).require("walrus_raft_role", "group", group, "role", "leader") == 1) {
                    leaders.add(node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return leaders;
    }

    private static Scrape.Response ready(TestNode node) {
        try {
            return Scrape.get(node, "/ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
