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
     * The largest entry a cluster takes, 4 MiB: less than the embedded {@link Walrus#MAX_ENTRY_BYTES},
     * because each node sizes by it what it holds per Raft group: its log's write buffer, every
     * append request its leader sends a follower that catches up (several in flight per follower),
     * and read replies kept in the retry cache. At 64 MiB a leader catching up one follower in three
     * groups needed gigabytes of heap (fault campaign); at 4 MiB, tens of megabytes.
     */
    public static final int MAX_ENTRY_BYTES = 4 << 20;
    /**
     * The largest Raft entry: an entry of {@link #MAX_ENTRY_BYTES} with room for its framing. A batch
     * must fit in it too, its entries with 4 bytes of framing each.
     */
    public static final int MAX_MESSAGE_BYTES = MAX_ENTRY_BYTES + (1 << 20);
    /** The most payload bytes one read returns over the network (a batch read asks for less when it wants). */
    public static final long MAX_READ_BYTES = MAX_ENTRY_BYTES;

    private ClusterSettings() {
    }

    /** The Raft group id of cluster {@code name}: the same on every node and client that use the name. */
    public static RaftGroupId groupId(String name) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("walrus-cluster:" + name).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Refuses an entry larger than a cluster takes; an entry the embedded Walrus takes, but not a
     * cluster, is named as such.
     */
    public static void checkEntrySize(byte[] entry, String what) {
        if (entry.length > MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException(what + " has " + entry.length + " bytes; a cluster takes entries of at most "
                    + MAX_ENTRY_BYTES + " bytes (ClusterSettings.MAX_ENTRY_BYTES; the embedded Walrus takes up to "
                    + Walrus.MAX_ENTRY_BYTES + ")");
        }
    }

    /** Refuses a batch whose entries with their framing are more than one Raft entry of a cluster holds. */
    public static void checkBatchSize(byte[][] entries) {
        long bytes = 0;
        for (int i = 0; i < entries.length; i++) {
            checkEntrySize(entries[i], "entry " + i + " of the batch");
            bytes += entries[i].length + 4;
        }
        if (bytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("batch has " + bytes + " bytes with framing; a cluster takes at most "
                    + MAX_MESSAGE_BYTES + " in one batch");
        }
    }

    /** Sets the gRPC limits both sides need on {@code properties}. */
    public static void applyTransportLimits(RaftProperties properties) {
        // Ratis wants it 1 MiB above the appender buffer, which holds one largest entry (+1 MiB) on a node.
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf(MAX_MESSAGE_BYTES + (4 << 20)));
    }
}
