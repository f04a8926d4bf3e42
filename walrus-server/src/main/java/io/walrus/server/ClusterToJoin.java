package io.walrus.server;

import io.walrus.client.GroupLayout;
import io.walrus.client.NodeAddresses;
import io.walrus.client.WalrusClient;

import org.apache.ratis.protocol.RaftGroup;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What a node started with {@code --join} learns from the running cluster before it writes anything. */
final class ClusterToJoin {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

    private ClusterToJoin() {
    }

    /**
     * The number of Raft groups of the cluster the other peers run, as the first of them that
     * answers lists them.
     *
     * @throws IOException when none answers, or the cluster has another number than {@code --groups} gave
     */
    static int groups(NodeConfig config) throws IOException {
        List<NodeAddresses.Node> others = config.others();
        if (others.isEmpty()) {
            throw new IOException("--join needs the running cluster's nodes in --peers besides this node's own");
        }
        String addresses = others.stream().map(n -> n.id() + "=" + n.address()).collect(Collectors.joining(","));
        GroupLayout layout;
        WalrusClient.Builder builder = WalrusClient.builder().addresses(addresses).cluster(config.cluster())
                .timeout(ASK_TIMEOUT);
        if (config.tls() != null) {
            // A node's certificate serves as a client's too (docs/CLUSTER.md, "TLS").
            builder.tls(config.tls());
        }
        try (WalrusClient client = builder.connect()) {
            layout = client.layout();
        } catch (IOException e) {
            throw new IOException("cannot join cluster '" + config.cluster() + "': " + e.getMessage(), e);
        }
        if (config.groups() != 0 && config.groups() != layout.count()) {
            throw new IOException("cannot join cluster '" + config.cluster() + "' with --groups " + config.groups()
                    + ": it has " + layout.count());
        }
        return layout.count();
    }

    /** Every group of {@code layout} with no members: what a joining node starts with. */
    static List<RaftGroup> memberless(GroupLayout layout) {
        List<RaftGroup> groups = new ArrayList<>();
        for (int i = 0; i < layout.count(); i++) {
            groups.add(RaftGroup.valueOf(layout.id(i)));
        }
        return groups;
    }
}
