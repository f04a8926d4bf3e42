package io.walrus.client;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds a cluster's members from addresses alone. Ratis addresses peers by id, and a user knows
 * only where the nodes listen, so the client asks the first node that answers for its group (each
 * member's id and address) and talks to all of them from then on. Addresses given as
 * {@code id=host:port} skip the question.
 */
final class ClusterDiscovery {
    private ClusterDiscovery() {
    }

    static RaftGroup discover(List<NodeAddresses.Node> nodes, RaftGroupId groupId, RaftProperties properties,
                              Parameters parameters, long deadlineNanos) throws IOException {
        if (nodes.stream().allMatch(n -> n.id() != null)) {
            return RaftGroup.valueOf(groupId, nodes.stream().map(ClusterDiscovery::peer).toList());
        }
        List<String> failures = new ArrayList<>();
        for (NodeAddresses.Node node : nodes) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                failures.add(node.address() + ": not tried, the timeout passed");
                continue;
            }
            RaftPeer probe = RaftPeer.newBuilder().setId(node.id() != null ? node.id() : "probe-" + node.port())
                    .setAddress(node.address()).build();
            try (RaftClient client = RaftClient.newBuilder().setProperties(properties).setParameters(parameters)
                    .setRaftGroup(RaftGroup.valueOf(groupId, probe)).setRetryPolicy(RetryPolicies.noRetry()).build()) {
                GroupInfoReply info = client.getGroupManagementApi(probe.getId()).info(groupId);
                if (info.isSuccess() && !info.getGroup().getPeers().isEmpty()) {
                    return info.getGroup();
                }
                failures.add(node.address() + ": " + info.getException());
            } catch (IOException | RuntimeException e) {
                // Ratis's blocking admin call lets gRPC's unchecked errors through (connection refused).
                failures.add(node.address() + ": " + describe(e));
            }
        }
        throw new IOException("no Walrus node answered for cluster group " + groupId + "; tried "
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
