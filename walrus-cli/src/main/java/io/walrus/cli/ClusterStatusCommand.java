package io.walrus.cli;

import io.walrus.client.WalrusClient;
import io.walrus.client.wire.Reply;

import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code walrus cluster status}: every node's role, indexes and topics in each Raft group, each node asked on its own. */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows every node of a cluster, and whether a majority answers.",
            "One line a node and Raft group (the topics spread over the groups,",
            "each led by another node when it can be): its id, address, the group,",
            "its Raft role there, its term (a leader's term; on the others the term",
            "of their last log entry), commit and applied index, its lag (committed",
            "entries it lacks against the group's most advanced member), and per",
            "topic of the group the entries it has applied. Then what it did over",
            "the last 10 s: APPENDS/S (a batch is one append; ENTRIES/S counts",
            "its entries), on the leader LATENCY, the mean and the longest time",
            "from receiving an append to having applied it (committed by a",
            "majority, less the network to the client), FSYNC, the median and 99th",
            "percentile of its Raft log's recent fsyncs, and DISK, the bytes of",
            "the group's Raft log and Walrus files. Every node is asked",
            "directly and at once, so a follower that lags shows its own numbers;",
            "a node that does not answer within --timeout shows 'unreachable' and",
            "why. Changes nothing.",
            "Exit status: 0 a majority of the nodes answered, 1 fewer did (the",
            "cluster cannot commit), 2 no node could be reached at all."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus cluster status --cluster 127.0.0.1:6001,127.0.0.1:6002,127.0.0.1:6003",
            "  walrus cluster status --cluster 127.0.0.1:6001 --timeout 3s  # finds the others",
            "  walrus cluster status --cluster 127.0.0.1:6001 --json | jq '.nodes[].role'",
            ""})
final class ClusterStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--json", description = "print one JSON object instead of a table (nodes[]: one object a node and group)")
    boolean json;

    private int nodes;

    /** What one node said about itself in one group, or why it said nothing ({@code info} null: unreachable). */
    private record NodeReport(RaftPeer peer, int group, GroupInfoReply info, Reply.NodeState state,
                              Reply.NodeFigures figures, String failure) {
        boolean answered() {
            return info != null;
        }

        String role() {
            return answered() ? info.getRoleInfoProto().getRole().name() : "unreachable";
        }

        /** Its own commit index: from its log's info, else from what it says of the members' commits. */
        Long commitIndex() {
            if (!answered()) {
                return null;
            }
            if (info.getLogInfoProto() != null && info.getLogInfoProto().hasCommitted()) {
                return info.getLogInfoProto().getCommitted().getIndex();
            }
            for (CommitInfoProto commit : info.getCommitInfos()) {
                if (commit.getServer().getId().toStringUtf8().equals(peer.getId().toString())) {
                    return commit.getCommitIndex();
                }
            }
            return null;
        }

        Long appliedIndex() {
            return state != null ? state.appliedIndex() : null;
        }

        /** A leader's term; on another member, the term of the last entry in its log (Ratis tells no more). */
        Long term() {
            if (!answered()) {
                return null;
            }
            if (info.getRoleInfoProto().hasLeaderInfo()) {
                return info.getRoleInfoProto().getLeaderInfo().getTerm();
            }
            return info.getLogInfoProto() != null && info.getLogInfoProto().hasLastEntry()
                    ? info.getLogInfoProto().getLastEntry().getTerm() : 0;
        }
    }

    /**
     * How many committed entries a member's log lacks against the most any member of its group has
     * committed, as the members said it (0 when caught up; none for a member that did not answer).
     */
    private static Long lag(NodeReport report, List<NodeReport> all) {
        Long own = report.commitIndex();
        if (own == null) {
            return null;
        }
        long highest = all.stream().filter(r -> r.group() == report.group()).map(NodeReport::commitIndex)
                .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(own);
        return highest - own;
    }

    @Override
    public Integer call() throws Exception {
        if (!cluster.given()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--cluster=" + ClusterOption.ADDRESSES + "'");
        }
        List<NodeReport> reports = new ArrayList<>();
        try (WalrusClient client = cluster.connect()) {
            List<RaftPeer> peers = client.peers();
            List<Future<NodeReport>> asked = new ArrayList<>();
            try (ExecutorService askers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (RaftPeer peer : peers) {
                    for (int group = 0; group < client.layout().count(); group++) {
                        int g = group;
                        asked.add(askers.submit(() -> ask(client, peer, g)));
                    }
                }
            }
            nodes = peers.size();
            for (Future<NodeReport> report : asked) {
                try {
                    reports.add(report.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("asking a node failed unexpectedly", e.getCause());
                }
            }
        }
        // A node answered when it answered for any of its groups.
        long answered = reports.stream().filter(NodeReport::answered).map(r -> r.peer().getId()).distinct().count();
        int majority = nodes / 2 + 1;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(asJson(reports, answered, majority)));
        } else {
            printTable(out, reports, nodes, answered, majority);
        }
        out.flush();
        return answered >= majority ? WalrusCli.OK : WalrusCli.NO_MAJORITY;
    }

    /** Ratis's view of the node from the node, then its applied state; each failure said on one line. */
    private static NodeReport ask(WalrusClient client, RaftPeer peer, int group) {
        GroupInfoReply info;
        try {
            info = client.groupInfo(peer, group);
        } catch (Exception e) {
            return new NodeReport(peer, group, null, null, null, reason(e));
        }
        if (!info.isSuccess()) {
            return new NodeReport(peer, group, null, null, null, reason(info.getException()));
        }
        Reply.NodeState state;
        try {
            state = client.nodeState(peer, group);
        } catch (Exception e) {
            return new NodeReport(peer, group, info, null, null, "its state could not be read: " + reason(e));
        }
        Reply.NodeFigures figures;
        try {
            figures = client.nodeFigures(peer, group);
        } catch (Exception e) {
            // A node of an older version does not know the query: its figures show as dashes.
            figures = null;
        }
        return new NodeReport(peer, group, info, state, figures, null);
    }

    private static void printTable(PrintWriter out, List<NodeReport> reports, int nodes, long answered, int majority) {
        Table table = new Table("NODE", "ADDRESS", "GROUP>", "ROLE", "TERM>", "COMMIT>", "APPLIED>", "LAG>", "APPENDS/S>",
                "ENTRIES/S>", "LATENCY>", "FSYNC>", "DISK>", "TOPICS");
        for (NodeReport r : reports) {
            String topics;
            if (r.failure() != null) {
                topics = r.failure();
            } else if (r.state().topics().isEmpty()) {
                topics = "(none)";
            } else {
                topics = r.state().topics().stream().map(t -> t.topic() + "=" + t.entries())
                        .collect(Collectors.joining(" "));
            }
            List<Object> cells = new ArrayList<>(List.of(r.peer().getId(), r.peer().getAddress(), r.group(), r.role(),
                    dash(r.term()), dash(r.commitIndex()), dash(r.appliedIndex()), dash(lag(r, reports))));
            cells.addAll(StatusFigures.columns(r.figures()));
            cells.add(topics);
            table.row(cells.toArray());
        }
        table.print(out);
        out.println(answered + " of " + nodes + " nodes answered; a majority is " + majority
                + (answered >= majority ? "" : ": the cluster cannot commit"));
    }

    private static Map<String, Object> asJson(List<NodeReport> reports, long answered, int majority) {
        List<Object> nodes = new ArrayList<>();
        for (NodeReport r : reports) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", r.peer().getId().toString());
            node.put("address", r.peer().getAddress());
            node.put("group", r.group());
            node.put("answered", r.answered());
            node.put("role", r.answered() ? r.role() : null);
            node.put("commitIndex", r.commitIndex());
            node.put("appliedIndex", r.appliedIndex());
            node.put("term", r.term());
            node.put("lag", lag(r, reports));
            List<Object> topics = null;
            if (r.state() != null) {
                topics = new ArrayList<>();
                for (Reply.TopicState t : r.state().topics()) {
                    Map<String, Object> topic = new LinkedHashMap<>();
                    topic.put("topic", t.topic());
                    topic.put("entries", t.entries());
                    topic.put("cursor", t.cursor());
                    topics.add(topic);
                }
            }
            node.put("topics", topics);
            node.put("figures", r.figures() == null ? null : StatusFigures.asJson(r.figures()));
            node.put("error", r.failure());
            nodes.add(node);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("nodes", nodes);
        root.put("answered", answered);
        root.put("majority", majority);
        return root;
    }

    private static Object dash(Long value) {
        return value == null ? "-" : value;
    }

    /** The innermost cause's message, which says what happened (connection refused), on one line. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return WalrusCli.oneLine(message);
    }
}
