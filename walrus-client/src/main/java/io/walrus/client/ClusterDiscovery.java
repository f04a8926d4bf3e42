package io.walrus.client;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.GroupListReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds a cluster's layout and members from addresses alone. Ratis addresses peers by id and groups
 * by id, and a user knows only where the nodes listen, so the client asks the first node that
 * answers which groups it serves (one of the cluster's ids tells the count, {@link GroupLayout#of})
 * and who the members of one of them are (each member's id and address). Addresses given as
 * {@code id=host:port} are taken as the members without asking.
 */
final class ClusterDiscovery {
    /** What a node said: the layout of its cluster's groups and their members. */
    record Cluster(GroupLayout layout, List<RaftPeer> peers) {
        /** Group {@code index} with the members found. */
        RaftGroup group(int index) {
            return RaftGroup.valueOf(layout.id(index), peers);
        }
    }

    private ClusterDiscovery() {
    }

    static Cluster discover(List<NodeAddresses.Node> nodes, String cluster, RaftProperties properties,
                            Parameters parameters, long deadlineNanos) throws IOException {
        List<String> failures = new ArrayList<>();
        for (NodeAddresses.Node node : nodes) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                failures.add(node.address() + ": not tried, the timeout passed");
                continue;
            }
            RaftPeer probe = RaftPeer.newBuilder().setId(node.id() != null ? node.id() : "probe-" + node.port())
                    .setAddress(node.address()).build();
            RaftGroupId anyGroup = ClusterSettings.groupId(cluster);
            try (RaftClient client = RaftClient.newBuilder().setProperties(properties).setParameters(parameters)
                    .setRaftGroup(RaftGroup.valueOf(anyGroup, probe)).setRetryPolicy(RetryPolicies.noRetry()).build()) {
                GroupListReply list = client.getGroupManagementApi(probe.getId()).list();
                if (!list.isSuccess()) {
                    failures.add(node.address() + ": " + list.getException());
                    continue;
                }
                Optional<GroupLayout> layout = GroupLayout.of(cluster, list.getGroupIds());
                if (layout.isEmpty()) {
                    failures.add(node.address() + ": serves no group of cluster '" + cluster + "' (it serves "
                            + list.getGroupIds() + "; another --cluster name, or still starting?)");
                    continue;
                }
                if (nodes.stream().allMatch(n -> n.id() != null)) {
                    return new Cluster(layout.get(), nodes.stream().map(ClusterDiscovery::peer).toList());
                }
                RaftGroupId served = list.getGroupIds().stream().filter(id -> layout.get().indexOf(id) >= 0)
                        .findFirst().orElseThrow();
                GroupInfoReply info = client.getGroupManagementApi(probe.getId()).info(served);
                if (info.isSuccess() && !info.getGroup().getPeers().isEmpty()) {
                    return new Cluster(layout.get(), List.copyOf(info.getGroup().getPeers()));
                }
                failures.add(node.address() + ": " + info.getException());
            } catch (IOException | RuntimeException e) {
                // Ratis's blocking admin call lets gRPC's unchecked errors through (connection refused).
                failures.add(node.address() + ": " + describe(e));
            }
        }
        throw new IOException("no Walrus node of cluster '" + cluster + "' answered; tried "
                + failures.stream().collect(Collectors.joining("; ")));
    }

    private static RaftPeer peer(NodeAddresses.Node node) {
        return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(node.id())).setAddress(node.address()).build();
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == e ? message : e.getClass().getSimpleName() + " (" + message + ")";
    }
}
