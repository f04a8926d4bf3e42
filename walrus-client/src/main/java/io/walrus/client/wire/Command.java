package io.walrus.client.wire;

/**
 * What a client asks of the cluster. The {@link Write}s go through the Raft log and are applied on
 * every node in log order; the {@link Query}s are answered by one node from its applied state,
 * without a log entry. {@link CommandCodec} turns them into bytes and back.
 */
public sealed interface Command {

    /** The default consumer's name in commands (the one {@code readNext} follows): a named one is never empty. */
    String DEFAULT_CONSUMER = "";

    /** A command that changes the replicated state: one Raft log entry, applied on every node. */
    sealed interface Write extends Command {
    }

    /** A command answered from one node's applied state. */
    sealed interface Query extends Command {
    }

    /** One entry at the end of {@code topic}. */
    record Append(String topic, byte[] data) implements Write {
    }

    /** Entries appended as one Raft entry: on every node all of them or none. */
    record BatchAppend(String topic, byte[][] entries) implements Write {
    }

    /**
     * Entries after {@code consumer}'s cursor on {@code topic} (the default consumer when
     * {@code consumer} is empty), up to {@code maxBytes} and {@code maxEntries}; the cursor moves past
     * them on every node.
     */
    record CheckpointRead(String consumer, String topic, long maxBytes, int maxEntries) implements Write {
    }

    /** Creates the named consumer if it does not exist, its cursors at every topic's start. */
    record CreateConsumer(String name) implements Write {
    }

    /** Removes the named consumer and its cursors. */
    record RemoveConsumer(String name) implements Write {
    }

    /** As {@link CheckpointRead}, moving no cursor. */
    record Peek(String consumer, String topic, long maxBytes, int maxEntries) implements Query {
    }

    /**
     * Answers once an entry is readable at {@code consumer}'s cursor on {@code topic}, or when
     * {@code timeoutMillis} have passed: the long poll behind waiting reads.
     */
    record AwaitEntry(String consumer, String topic, long timeoutMillis) implements Query {
    }

    /** The names of the named consumers. */
    record ListConsumers() implements Query {
    }

    /** Entries of {@code topic} from sequence {@code fromSequence} on, moving no cursor (for dumps). */
    record Scan(String topic, long fromSequence, long maxBytes, int maxEntries) implements Query {
    }

    /** The node's applied index and, per topic, its entries and the default cursor. */
    record Status() implements Query {
    }

    /**
     * What the node's group has been doing lately: appends a second, their latency, its Raft log's
     * fsync time, its disk use ({@link Reply.NodeFigures}). A query of its own rather than more
     * fields in {@link Status}, so that a client and a node of different versions still understand
     * each other's status (a node that does not know it refuses it, and status shows dashes).
     */
    record Figures() implements Query {
    }
}
