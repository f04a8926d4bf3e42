package io.walrus.client;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Changes of a cluster's members, group by group, through Ratis's configuration change: each group
 * commits its new members (joint consensus: the old and the new majority both agree) after its
 * leader has brought any new member up to date. Priorities are recomputed over the new members
 * ({@link GroupMembers}), so the groups' preferred leaders spread over them again.
 */
final class ClusterMembership {
    private final GroupLayout layout;
    private final List<RaftCalls> groups;

    ClusterMembership(GroupLayout layout, List<RaftCalls> groups) {
        this.layout = layout;
        this.groups = groups;
    }

    void add(RaftPeer node) throws IOException {
        for (int group = 0; group < groups.size(); group++) {
            List<RaftPeer> current = currentMembers(group);
            if (current.stream().anyMatch(p -> p.getId().equals(node.getId()))) {
                if (current.stream().noneMatch(p -> p.getId().equals(node.getId()) && p.getAddress().equals(node.getAddress()))) {
                    throw new IOException("node " + node.getId() + " is a member of group " + group + " already, at another "
                            + "address: " + current);
                }
                continue;
            }
            if (current.stream().anyMatch(p -> p.getAddress().equals(node.getAddress()))) {
                throw new IOException("address " + node.getAddress() + " is a member of group " + group
                        + " already, under another id: " + current);
            }
            List<RaftPeer> members = new ArrayList<>(current);
            members.add(node);
            groups.get(group).setMembers(GroupMembers.prioritized(layout, group, members));
        }
    }

    /** @return whether {@code id} was a member of any group */
    boolean remove(String id) throws IOException {
        boolean removed = false;
        for (int group = 0; group < groups.size(); group++) {
            List<RaftPeer> current = currentMembers(group);
            List<RaftPeer> rest = current.stream().filter(p -> !p.getId().toString().equals(id)).toList();
            if (rest.size() == current.size()) {
                continue;
            }
            if (rest.isEmpty()) {
                throw new IOException("node " + id + " is the last member of group " + group + "; a cluster keeps one");
            }
            groups.get(group).setMembers(GroupMembers.prioritized(layout, group, rest));
            removed = true;
        }
        return removed;
    }

    /**
     * Makes {@code id} the leader of {@code group}: first its preferred one (the highest priority,
     * which Ratis requires of a transfer and which keeps it leading after), then the transfer.
     */
    void transferLeader(int group, String id) throws IOException {
        List<RaftPeer> current = currentMembers(group);
        RaftPeer target = current.stream().filter(p -> p.getId().toString().equals(id)).findFirst()
                .orElseThrow(() -> new IOException("node " + id + " is not a member of group " + group + ": " + current));
        int highest = current.stream().mapToInt(RaftPeer::getPriority).max().orElse(0);
        boolean alone = current.stream().filter(p -> p.getPriority() == highest).count() == 1;
        if (target.getPriority() != highest || !alone) {
            List<RaftPeer> members = new ArrayList<>();
            for (RaftPeer peer : current) {
                members.add(peer == target ? GroupMembers.withPriority(peer, highest + 1) : peer);
            }
            groups.get(group).setMembers(members);
            target = members.stream().filter(p -> p.getId().toString().equals(id)).findFirst().orElseThrow();
        }
        groups.get(group).transferLeadership(target);
    }

    /**
     * The members of {@code group} as its leader has them (a follower may not know of a change yet,
     * and a change made from a stale list would undo another).
     */
    private List<RaftPeer> currentMembers(int group) throws IOException {
        RaftCalls calls = groups.get(group);
        // An election may be under way (the cluster just started, a leader died): ask until one leads.
        long deadline = System.nanoTime() + calls.timeout().toNanos();
        long pauseMillis = 20;
        while (true) {
            List<String> failures = new ArrayList<>();
            Optional<List<RaftPeer>> members = askLeader(calls, failures);
            if (members.isPresent()) {
                return members.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("no leader of group " + group + " answered within " + calls.timeout().toMillis()
                        + " ms, so its members are not known for sure: " + String.join("; ", failures));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while looking for the leader of group " + group);
            }
            pauseMillis = Math.min(500, pauseMillis * 2);
        }
    }

    /** The members as the leader has them, if one of the known members says it leads. */
    private static Optional<List<RaftPeer>> askLeader(RaftCalls calls, List<String> failures) {
        Set<RaftPeer> asked = new LinkedHashSet<>(calls.group().getPeers());
        for (RaftPeer peer : asked) {
            try {
                GroupInfoReply info = calls.groupInfo(peer);
                if (info.isSuccess() && info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                    return Optional.of(List.copyOf(info.getGroup().getPeers()));
                }
                failures.add(peer.getId() + ": " + (info.isSuccess() ? info.getRoleInfoProto().getRole().name().toLowerCase()
                        : ClusterDiscovery.describe(info.getException())));
            } catch (IOException | RuntimeException e) {
                failures.add(peer.getId() + ": " + ClusterDiscovery.describe(e));
            }
        }
        return Optional.empty();
    }
}
