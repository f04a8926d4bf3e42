package io.walrus.client;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.util.SizeInBytes;

import io.walrus.Walrus;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What a node and a client must agree on: the Raft group of a cluster, named after it, and the
 * largest message either side accepts (a batch of maximal entries, or a read reply, with room to spare).
 */
public final class ClusterSettings {
    /** The cluster name nodes and clients use unless told otherwise. */
    public static final String DEFAULT_CLUSTER = "walrus";
    /**
     * The largest Raft entry or reply: an entry of {@link Walrus#MAX_ENTRY_BYTES} with room for its
     * framing. A batch of many entries must fit in it too; a read reply is capped below it.
     */
    public static final int MAX_MESSAGE_BYTES = Walrus.MAX_ENTRY_BYTES + (8 << 20);
    /** The most payload bytes one read returns over the network (a batch read asks for less when it wants). */
    public static final long MAX_READ_BYTES = 32L << 20;

    private ClusterSettings() {
    }

    /** The Raft group id of cluster {@code name}: the same on every node and client that use the name. */
    public static RaftGroupId groupId(String name) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("walrus-cluster:" + name).getBytes(StandardCharsets.UTF_8)));
    }

    /** Sets the gRPC limits both sides need on {@code properties}. */
    public static void applyTransportLimits(RaftProperties properties) {
        // Ratis wants it 1 MiB above the appender buffer, which holds one largest entry (+1 MiB) on a node.
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf(MAX_MESSAGE_BYTES + (4 << 20)));
    }
}
