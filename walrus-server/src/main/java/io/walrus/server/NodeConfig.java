package io.walrus.server;

import io.walrus.client.GroupLayout;
import io.walrus.client.NodeAddresses;
import io.walrus.client.TlsFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node's settings, checked: its id is among the peers, every peer has an id and the ids and
 * addresses are unique.
 *
 * @param id            this node's id
 * @param peers         every member of the cluster, this node included
 * @param dataDir       where the node keeps its Raft log and its Walrus instance
 * @param cluster       the cluster's name (its Raft group)
 * @param snapshotEvery log entries between snapshots (after which Ratis purges the log)
 * @param purgeGap      log entries kept behind a snapshot before purging them
 * @param logSegmentBytes size at which the Raft log starts a new segment file (only whole segments are purged)
 * @param storage       how the Walrus instance is laid out
 * @param ratisOverrides Ratis properties set after the node's own ({@code --ratis key=value})
 * @param metrics       where to serve {@code /metrics} and {@code /ready}; null: not at all
 * @param groups        how many Raft groups the topics spread over, 1 to {@link GroupLayout#MAX_GROUPS};
 *                      0: as recorded in the data directory, or one per peer in a new one
 * @param join          a new data directory joins a running cluster: its groups are learned from the
 *                      other peers and it waits to be added ({@code walrus cluster add-node})
 * @param tls           the node's certificate, key and trusted CAs for mutual TLS; null: plain gRPC
 */
record NodeConfig(String id, List<NodeAddresses.Node> peers, Path dataDir, String cluster, long snapshotEvery,
                  int purgeGap, long logSegmentBytes, NodeStorage storage, Map<String, String> ratisOverrides,
                  MetricsAddress metrics, int groups, boolean join, TlsFiles tls) {

    static final long DEFAULT_SNAPSHOT_EVERY = 100_000;
    static final int DEFAULT_PURGE_GAP = 1024;
    /**
     * The log holds references, not payloads (PayloadReference: some 60 bytes an entry with Ratis's
     * framing), and a node deletes consumed Walrus files only once the log no longer holds their
     * entries, a whole segment at a time: 4 MiB is about 70,000 entries, under one snapshot's worth.
     */
    static final long DEFAULT_LOG_SEGMENT_BYTES = 4L << 20;

    NodeConfig {
        Objects.requireNonNull(id, "id");
        peers = List.copyOf(peers);
        ratisOverrides = Map.copyOf(ratisOverrides);
        for (NodeAddresses.Node peer : peers) {
            if (peer.id() == null) {
                throw new IllegalArgumentException("peer " + peer.address() + " has no id: --peers takes id=host:port for "
                        + "every node, e.g. n1=127.0.0.1:6001,n2=127.0.0.1:6002,n3=127.0.0.1:6003");
            }
        }
        if (peers.stream().noneMatch(p -> p.id().equals(id))) {
            throw new IllegalArgumentException("--id " + id + " is not among the peers "
                    + peers.stream().map(NodeAddresses.Node::id).toList() + " given with --peers");
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("--snapshot-every must be at least 1, snapshotEvery=" + snapshotEvery);
        }
        if (logSegmentBytes < 4096) {
            throw new IllegalArgumentException("--log-segment-size must be at least 4096 bytes, logSegmentBytes="
                    + logSegmentBytes);
        }
        if (purgeGap < 1) {
            throw new IllegalArgumentException("--purge-gap must be at least 1, purgeGap=" + purgeGap);
        }
        if (groups != 0) {
            new GroupLayout(cluster, groups);
        }
        NodeAddresses.Node self = peers.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
        if (metrics != null && metrics.port() == self.port() && metrics.host().equals(self.host())) {
            throw new IllegalArgumentException("--metrics-port " + metrics.port() + " is this node's Raft port ("
                    + self.address() + "); give the metrics another");
        }
    }

    /** The groups a new data directory gets: as given, else one per peer (each node leads one). */
    int groupsOrDefault() {
        return groups != 0 ? groups : Math.min(peers.size(), GroupLayout.MAX_GROUPS);
    }

    /** The peers other than this node. */
    List<NodeAddresses.Node> others() {
        return peers.stream().filter(p -> !p.id().equals(id)).toList();
    }

    NodeAddresses.Node self() {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    /** How the peers were given, in one canonical line: recorded in the data directory. */
    String peersLine() {
        return String.join(",", peers.stream().map(p -> p.id() + "=" + p.address()).sorted().toList());
    }
}
