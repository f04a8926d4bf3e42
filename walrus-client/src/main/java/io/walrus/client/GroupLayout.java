package io.walrus.client;

import io.walrus.Arguments;

import org.apache.ratis.protocol.RaftGroupId;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How a cluster's topics are spread over its Raft groups: {@code count} groups, each with an id
 * derived from the cluster's name, its index and the count, and every topic in exactly one of them
 * ({@link #groupOf(String)}). Nodes and clients compute the same layout from the same name and
 * count, so they need no table of it; and because the count is part of every id, nodes started with
 * different counts form different groups instead of mixing the topics of two layouts.
 *
 * @param cluster the cluster's name
 * @param count   how many groups, 1 to {@link #MAX_GROUPS}
 */
public record GroupLayout(String cluster, int count) {
    /** The most groups a cluster may have. */
    public static final int MAX_GROUPS = 64;

    public GroupLayout {
        Objects.requireNonNull(cluster, "cluster");
        if (count < 1 || count > MAX_GROUPS) {
            throw new IllegalArgumentException("a cluster has 1 to " + MAX_GROUPS + " Raft groups, groups=" + count);
        }
    }

    /**
     * The Raft group id of group {@code index}. A one-group cluster keeps the id clusters had before
     * there were several groups ({@link ClusterSettings#groupId(String)}), so its data directories
     * stay valid.
     */
    public RaftGroupId id(int index) {
        Objects.checkIndex(index, count);
        if (count == 1) {
            return ClusterSettings.groupId(cluster);
        }
        String name = "walrus-cluster:" + cluster + ":group-" + index + "-of-" + count;
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** The index of group {@code id} in this layout, or -1 if it is not one of its groups. */
    public int indexOf(RaftGroupId id) {
        for (int i = 0; i < count; i++) {
            if (id(i).equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The group that holds {@code topic}: the topic's UTF-8 bytes hashed with 32-bit FNV-1a, modulo
     * the count (docs/CLUSTER.md, "Raft groups"). Fixed for ever: a node refuses a topic that is not
     * its group's, so a client with another rule could write nothing to the wrong group.
     */
    public int groupOf(String topic) {
        Arguments.checkTopic(topic);
        int hash = 0x811c9dc5;
        for (byte b : topic.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Integer.remainderUnsigned(hash, count);
    }

    /**
     * The layout of cluster {@code cluster} that group {@code id} belongs to, if any: how a client
     * learns the count from the groups a node lists.
     */
    public static Optional<GroupLayout> of(String cluster, RaftGroupId id) {
        for (int count = 1; count <= MAX_GROUPS; count++) {
            GroupLayout layout = new GroupLayout(cluster, count);
            if (layout.indexOf(id) >= 0) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }

    /** The layout the first of {@code ids} that belongs to cluster {@code cluster} is part of. */
    public static Optional<GroupLayout> of(String cluster, Collection<RaftGroupId> ids) {
        for (RaftGroupId id : ids) {
            Optional<GroupLayout> layout = of(cluster, id);
            if (layout.isPresent()) {
                return layout;
            }
        }
        return Optional.empty();
    }
}
