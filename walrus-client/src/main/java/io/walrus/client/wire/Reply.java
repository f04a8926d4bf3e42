package io.walrus.client.wire;

import java.util.List;

/** What a node answers to a {@link Command}; {@link ReplyCodec} turns it into bytes and back. */
public sealed interface Reply {

    /** The command was applied (appends, consumer creation). */
    record Done() implements Reply {
    }

    /** Entries, the first of which has sequence {@code firstSequence} in its topic. */
    record Entries(long firstSequence, List<byte[]> payloads) implements Reply {
    }

    /** A yes or no (consumer removed, entry available). */
    record Flag(boolean value) implements Reply {
    }

    /** A sorted list of names. */
    record Names(List<String> names) implements Reply {
    }

    /** A node's applied state. */
    record NodeState(long appliedIndex, List<TopicState> topics) implements Reply {
    }

    /**
     * What one node's member of a group did over the last {@code windowSeconds} seconds (fewer after
     * it started): appends applied (a batch is one append of many entries), and on the group's leader
     * the time from receiving each append to having applied it (replicated to a majority, in their
     * fsync'd logs, applied: what a client waits for, less the network); the Raft log's recent
     * fsync times (Ratis's reservoir); the bytes of the group's Raft log and Walrus files on disk.
     * A figure the node cannot tell is -1 (no latency on a follower; no fsync yet).
     */
    record NodeFigures(int windowSeconds, long appends, long entries, long latencySamples, long latencyMeanNanos,
                       long latencyMaxNanos, long logSyncP50Nanos, long logSyncP99Nanos, long raftLogBytes,
                       long walrusBytes) implements Reply {
        public double appendsPerSecond() {
            return windowSeconds == 0 ? 0 : appends / (double) windowSeconds;
        }

        public double entriesPerSecond() {
            return windowSeconds == 0 ? 0 : entries / (double) windowSeconds;
        }
    }

    /** One topic in a {@link NodeState}: its entries and the default consumer's cursor. */
    record TopicState(String topic, long entries, long cursor) {
    }

    /** The command was refused; {@code message} says why. */
    record Refused(String message) implements Reply {
    }
}
