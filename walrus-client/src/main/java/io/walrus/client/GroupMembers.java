package io.walrus.client;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The members of a cluster's Raft groups: every node is a member of every group, and each group
 * prefers another node as its leader. Ratis lets a leader hand over to an up-to-date member of
 * higher priority (and members of higher priority refuse votes to lower ones with an equal log), so
 * group {@code i} is led by node {@code i mod n} (the nodes sorted by id) whenever that node is up
 * and caught up, and the write load spreads over the nodes again after one comes back. Priorities
 * fall in a rotated order, so the groups of a dead node fall to different nodes too.
 */
public final class GroupMembers {
    private GroupMembers() {
    }

    /** Every group of {@code layout} with {@code nodes} (each with an id) as members, in the layout's order. */
    public static List<RaftGroup> of(GroupLayout layout, List<NodeAddresses.Node> nodes) {
        List<RaftPeer> peers = nodes.stream()
                .map(n -> RaftPeer.newBuilder().setId(n.id()).setAddress(n.address()).build()).toList();
        List<RaftGroup> groups = new ArrayList<>();
        for (int group = 0; group < layout.count(); group++) {
            groups.add(RaftGroup.valueOf(layout.id(group), prioritized(layout, group, peers)));
        }
        return groups;
    }

    /**
     * {@code peers} (their ids and addresses) with the priorities group {@code group} gives them: the
     * highest to its preferred leader, then down the rotated order. One group alone needs no
     * preferred leader (any will do, and none is handed over): every priority is 0.
     */
    public static List<RaftPeer> prioritized(GroupLayout layout, int group, Collection<RaftPeer> peers) {
        List<RaftPeer> sorted = peers.stream().sorted(Comparator.comparing(p -> p.getId().toString())).toList();
        List<RaftPeer> members = new ArrayList<>();
        for (int position = 0; position < sorted.size(); position++) {
            int priority = layout.count() == 1 ? 0 : sorted.size() - Math.floorMod(position - group, sorted.size());
            members.add(withPriority(sorted.get(position), priority));
        }
        return members;
    }

    /** {@code peer} with {@code priority}, its id and addresses kept. */
    public static RaftPeer withPriority(RaftPeer peer, int priority) {
        return RaftPeer.newBuilder(peer).setPriority(priority).build();
    }
}
