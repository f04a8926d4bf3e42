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

    /** One topic in a {@link NodeState}: its entries and the default consumer's cursor. */
    record TopicState(String topic, long entries, long cursor) {
    }

    /** The command was refused; {@code message} says why. */
    record Refused(String message) implements Reply {
    }
}
