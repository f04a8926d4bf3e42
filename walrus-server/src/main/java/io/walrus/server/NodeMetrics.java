package io.walrus.server;

import io.walrus.WalrusStats;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorageDirectory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The node's figures, read from Ratis and the node's Walrus each time {@code /metrics} is scraped
 * (callbacks: nothing is sampled in between). The names and labels are documented in
 * docs/CLUSTER.md, "Metrics and health".
 */
final class NodeMetrics {
    private static final List<RaftPeerRole> ROLES =
            List.of(RaftPeerRole.LEADER, RaftPeerRole.FOLLOWER, RaftPeerRole.CANDIDATE, RaftPeerRole.LISTENER);

    private NodeMetrics() {
    }

    /** Registers the figures of whatever node {@code node} returns (none while it returns null). */
    static void register(PrometheusRegistry registry, Supplier<WalrusNode> node) {
        gauge(registry, "walrus_node_info", "This node: its id, its cluster, and per Raft group its index and "
                        + "Ratis's id of it (always 1)",
                List.of("node", "cluster", "group", "group_id"), (cb, n, d) -> cb.call(1, n.id(), n.cluster(), group(n, d),
                        d.getGroup().getGroupId().getUuid().toString()), node);
        gauge(registry, "walrus_raft_role", "1 for the role this node has in the group now, 0 for the others",
                List.of("group", "role"), (cb, n, d) -> {
                    RaftPeerRole now = d.getInfo().getCurrentRole();
                    for (RaftPeerRole role : ROLES) {
                        cb.call(role == now ? 1 : 0, group(n, d), role.name().toLowerCase());
                    }
                }, node);
        gauge(registry, "walrus_raft_term", "The Raft term this node is in", List.of("group"),
                (cb, n, d) -> cb.call(d.getInfo().getCurrentTerm(), group(n, d)), node);
        gauge(registry, "walrus_raft_commit_index", "The highest log index this node knows to be committed",
                List.of("group"), (cb, n, d) -> cb.call(d.getRaftLog().getLastCommittedIndex(), group(n, d)), node);
        gauge(registry, "walrus_raft_applied_index", "The highest log index this node's state machine applied",
                List.of("group"), (cb, n, d) -> cb.call(d.getInfo().getLastAppliedIndex(), group(n, d)), node);
        gauge(registry, "walrus_raft_follower_match_index",
                "On the leader only: per follower, the highest log index known to be in its log",
                List.of("group", "follower"), (cb, n, d) -> followers(d, (follower, match, commit) ->
                        cb.call(match, group(n, d), follower)), node);
        gauge(registry, "walrus_raft_follower_lag_entries",
                "On the leader only: per follower, how many committed entries its log lacks (commit index - match index)",
                List.of("group", "follower"), (cb, n, d) -> followers(d, (follower, match, commit) ->
                        cb.call(Math.max(0, commit - match), group(n, d), follower)), node);
        gauge(registry, "walrus_disk_bytes",
                "Sizes of the files under each of the node's directories (Walrus data files are preallocated whole)",
                List.of("group", "directory"), (cb, n, d) -> {
                    RaftStorageDirectory storage = d.getRaftStorage().getStorageDir();
                    Path walrus = storage.getStateMachineDir().toPath().resolve(WalrusStateMachine.WALRUS_DIRECTORY);
                    OptionalLong log = bytesUnder(storage.getCurrentDir());
                    OptionalLong stateMachine = bytesUnder(storage.getStateMachineDir());
                    OptionalLong walrusBytes = bytesUnder(walrus.toFile());
                    log.ifPresent(bytes -> cb.call(bytes, group(n, d), "raft_log"));
                    if (stateMachine.isPresent() && walrusBytes.isPresent()) {
                        cb.call(stateMachine.getAsLong() - walrusBytes.getAsLong(), group(n, d), "snapshots");
                        cb.call(walrusBytes.getAsLong(), group(n, d), "walrus");
                    }
                }, node);

        CounterWithCallback.builder().name("walrus_storage_fsyncs_total")
                .help("fdatasync calls on the node's Walrus data files since the instance was opened "
                        + "(snapshots flush it; appends do not fsync it, the Raft log is durable first)")
                .callback(cb -> cb.call(walrusStats(node).stream().mapToLong(WalrusStats::fsyncs).sum()))
                .register(registry);
        CounterWithCallback.builder().name("walrus_storage_fsync_seconds_total")
                .help("The time those fdatasync calls took, summed")
                .callback(cb -> cb.call(walrusStats(node).stream().mapToLong(s -> s.fsyncTime().toNanos()).sum() / 1e9))
                .register(registry);
        GaugeWithCallback.builder().name("walrus_storage_fsync_max_seconds")
                .help("The longest of those fdatasync calls")
                .callback(cb -> cb.call(walrusStats(node).stream().mapToLong(s -> s.maxFsync().toNanos()).max().orElse(0) / 1e9))
                .register(registry);
    }

    // ------------------------------------------------------------------ reading the node

    /** One gauge over the node's member of its group: none while there is no node or it serves no group. */
    private static void gauge(PrometheusRegistry registry, String name, String help, List<String> labels,
                              DivisionReader read, Supplier<WalrusNode> node) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labels.toArray(String[]::new))
                .callback(cb -> {
                    WalrusNode current = node.get();
                    if (current != null) {
                        current.divisions().forEach(d -> readOrSkip(name, () -> read.read(cb, current, d)));
                    }
                })
                .register(registry);
    }

    /**
     * Runs one figure's reading; if it throws (the node changing under it: a restart of its group,
     * a snapshot installed, a role changing), this scrape goes without that figure instead of
     * answering 500 for all of them, and the node's log says why.
     */
    static void readOrSkip(String metric, Runnable reading) {
        try {
            reading.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "metric {0} left out of this scrape: {1}", metric, e.toString());
        }
    }

    private static final System.Logger LOG = System.getLogger("io.walrus.server.metrics");

    @FunctionalInterface
    private interface DivisionReader {
        void read(GaugeWithCallback.Callback callback, WalrusNode node, RaftServer.Division division);
    }

    @FunctionalInterface
    private interface FollowerFigures {
        void follower(String id, long matchIndex, long commitIndex);
    }

    /**
     * The leader's followers, each with its match index. Ratis gives the ids (in the role info) and
     * the match indices as two lists, both in the order of the leader's log appenders; if they differ
     * in length (a configuration change between the two calls) this scrape reports none.
     */
    private static void followers(RaftServer.Division division, FollowerFigures figures) {
        DivisionInfo info = division.getInfo();
        if (!info.isLeader()) {
            return;
        }
        RoleInfoProto role = info.getRoleInfoProto();
        long[] matchIndices = info.getFollowerMatchIndices();
        long commit = division.getRaftLog().getLastCommittedIndex();
        List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
        if (followers.size() != matchIndices.length) {
            return;
        }
        for (int i = 0; i < matchIndices.length; i++) {
            figures.follower(followers.get(i).getId().getId().toStringUtf8(), matchIndices[i], commit);
        }
    }

    /** The figures of each group's Walrus instance (the node's storage is their sum); none while there is no node. */
    private static List<WalrusStats> walrusStats(Supplier<WalrusNode> node) {
        WalrusNode current = node.get();
        List<WalrusStats> each = new java.util.ArrayList<>();
        if (current != null) {
            for (int i = 0; i < current.layout().count(); i++) {
                current.stateMachine(i).flatMap(WalrusStateMachine::walrusStats).ifPresent(each::add);
            }
        }
        return each;
    }

    /** The {@code group} label: the group's index in the cluster's layout (0 to groups - 1). */
    static String group(WalrusNode node, RaftServer.Division division) {
        return Integer.toString(node.layout().indexOf(division.getGroup().getGroupId()));
    }

    /**
     * Bytes in the regular files under {@code directory} (0 if there is none); files deleted during the
     * walk count as gone. Empty if the walk failed: that scrape reports no figure rather than a wrong one.
     */
    static OptionalLong bytesUnder(File directory) {
        Path root = directory.toPath();
        if (!Files.isDirectory(root)) {
            return OptionalLong.of(0);
        }
        try (Stream<Path> files = Files.walk(root)) {
            return OptionalLong.of(files.mapToLong(NodeMetrics::sizeIfFile).sum());
        } catch (IOException | UncheckedIOException e) {
            // A directory went away under the walk (a purge, a snapshot installed): count again next scrape.
            return OptionalLong.empty();
        }
    }

    private static long sizeIfFile(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
