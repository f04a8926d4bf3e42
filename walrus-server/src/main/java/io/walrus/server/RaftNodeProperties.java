package io.walrus.server;

import io.walrus.client.ClusterSettings;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Ratis settings of a node, each set for a reason given beside it. */
final class RaftNodeProperties {
    private RaftNodeProperties() {
    }

    static RaftProperties of(NodeConfig config, Path raftDirectory) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDirectory.toFile()));
        GrpcConfigKeys.Server.setHost(properties, config.self().host());
        GrpcConfigKeys.Server.setPort(properties, config.self().port());
        ClusterSettings.applyTransportLimits(properties);

        // A read-only query at the leader first confirms it still leads (ReadIndex): a deposed leader
        // cut off from the others serves no stale read.
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);

        // An entry may be a whole batch or a payload of ClusterSettings.MAX_ENTRY_BYTES: the log's write
        // buffer (direct memory, one per group), the appender's buffer (the most one append request to
        // a follower carries; a follower catching up gets full ones, several in flight) and the
        // pending-write limit must all take one (a segment takes an entry larger than itself whole,
        // alone). Each is per group, which is why a cluster's largest entry is kept small.
        SizeInBytes largestEntry = SizeInBytes.valueOf(ClusterSettings.MAX_MESSAGE_BYTES + (1 << 20));
        // Ratis wants the write buffer a little above the appender's limit (its framing).
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf(largestEntry.getSize() + 4096));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, largestEntry);
        RaftServerConfigKeys.Write.setByteLimit(properties, SizeInBytes.valueOf(4L * largestEntry.getSize()));
        // A snapshot is sent in chunks of at most this, each one gRPC message: Ratis's 16 MiB would be
        // over the transport's limit (ClusterSettings.applyTransportLimits), and refused.
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(properties, SizeInBytes.valueOf(ClusterSettings.MAX_ENTRY_BYTES));
        // A snapshot carries the Walrus data files whole; Ratis's default 8 chunks in flight per
        // follower and group kept up to 32 MB each queued for a follower that was slow to take them.
        GrpcConfigKeys.Server.setInstallSnapshotRequestElementLimit(properties, 2);
        // Ratis extends a segment by writing zeros ahead of its entries, 4 MB at a time by default,
        // and the fdatasync that follows carries them to the disk: 64 KB keeps each such flush small
        // (4 MB measured no faster).
        // Every byte of the log is written as a zero first whatever the size. (The 2 MB per fdatasync
        // that /proc/<pid>/io once showed for 4 MB was the kernel's page accounting, not the disk:
        // BENCHMARKS.md, "Bytes to the disk".)
        RaftServerConfigKeys.Log.setPreallocatedSize(properties, SizeInBytes.valueOf(64 << 10));
        // Ratis otherwise appends a metadata entry (the new commit index) to the log each time the
        // commit index moves, and syncs it like any entry: two log entries and two fsyncs for each
        // lone append (the applied index read 2,000 after 1,000 appends). Raft does not need the
        // commit index on disk: a restarted node learns it from the leader, and until then applies
        // what its snapshot holds. bench-cluster, alternated: single appends 1.6x, batches of 64
        // 1.1x to 1.3x, bytes written per payload byte about halved for single appends.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);

        // The log keeps recent segments' entries in the heap, for followers catching up: by default 6
        // closed segments or 200 MB per group, which on a node with a group per peer outgrew the heap
        // of the test nodes while a leader caught a restarted follower up (fault campaign). Two closed
        // segments, at most 32 MB, per group; a follower further behind is sent entries read from the
        // log file, or a snapshot.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(properties, 2);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(properties, SizeInBytes.valueOf(32L << 20));

        // Payloads live in Walrus, not in the log (WalrusStateMachine.write): Ratis's "caching enabled"
        // means the state machine holds them, so its log cache keeps each entry without its payloads
        // and asks read() for them, which answers from the leader's transaction while the entry is in
        // flight. Left off, the cache would keep every payload of the open segment, whose size counts
        // only the small references now: hundreds of MB per group.
        RaftServerConfigKeys.Log.StateMachineData.setCachingEnabled(properties, true);
        // Ratis's statemachine.data.sync is left on: each log flush waits for the state machine's
        // (WalrusStateMachine.flush, an fdatasync of Walrus) before forcing its own file, and counts
        // only once both are done, so an acknowledged entry has its payloads on this node's disk.
        RaftServerConfigKeys.Log.StateMachineData.setSync(properties, true);

        // Snapshots let the log be purged behind them, so it does not grow without bound.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, config.purgeGap());

        // Election timeouts above Ratis's 150-300 ms defaults: on a loaded machine a GC pause or a
        // slow fsync would otherwise depose healthy leaders again and again.
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(5000, TimeUnit.MILLISECONDS));
        config.ratisOverrides().forEach(properties::set);
        return properties;
    }
}
