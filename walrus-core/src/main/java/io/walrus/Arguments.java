package io.walrus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The argument checks every {@link WalrusLog} makes before it writes or sends anything, in one place
 * so that the embedded log and a cluster client refuse the same input with the same message.
 */
public final class Arguments {
    private Arguments() {
    }

    /** A topic name: not null, not empty, at most {@link Walrus#MAX_TOPIC_NAME_BYTES} UTF-8 bytes. */
    public static void checkTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (topic.length() > Walrus.MAX_TOPIC_NAME_BYTES / 3
                && topic.getBytes(StandardCharsets.UTF_8).length > Walrus.MAX_TOPIC_NAME_BYTES) {
            throw new IllegalArgumentException("topic name is longer than " + Walrus.MAX_TOPIC_NAME_BYTES
                    + " UTF-8 bytes, topic=" + topic.substring(0, 40) + "...");
        }
    }

    /** A payload: not null, at most {@link Walrus#MAX_ENTRY_BYTES}; {@code what} names it in the message. */
    public static void checkPayload(byte[] data, String what) {
        Objects.requireNonNull(data, what);
        if (data.length > Walrus.MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException(what + " has " + data.length + " bytes; at most "
                    + Walrus.MAX_ENTRY_BYTES + " are allowed");
        }
    }

    /** A batch of 1 to {@link Walrus#MAX_BATCH_ENTRIES} checked payloads, as an array taken from it. */
    public static byte[][] checkBatch(List<byte[]> batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty() || batch.size() > Walrus.MAX_BATCH_ENTRIES) {
            throw new IllegalArgumentException("batch has " + batch.size() + " entries; 1 to "
                    + Walrus.MAX_BATCH_ENTRIES + " are allowed");
        }
        byte[][] entries = new byte[batch.size()][];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = batch.get(i);
            checkPayload(entries[i], "batch entry " + i);
        }
        return entries;
    }

    /** A start position for {@link Walrus#readFrom}: not negative. */
    public static void checkFromSequence(long fromSequence) {
        if (fromSequence < 0) {
            throw new IllegalArgumentException("fromSequence must not be negative, fromSequence=" + fromSequence);
        }
    }

    /** How many entries one read may return: 1 to {@link Walrus#MAX_BATCH_ENTRIES}. */
    public static void checkMaxEntries(int maxEntries) {
        if (maxEntries < 1 || maxEntries > Walrus.MAX_BATCH_ENTRIES) {
            throw new IllegalArgumentException("maxEntries must be between 1 and " + Walrus.MAX_BATCH_ENTRIES
                    + ", maxEntries=" + maxEntries);
        }
    }

    /** A visitor for a zero-copy read: not null. */
    public static EntryVisitor checkVisitor(EntryVisitor visitor) {
        return Objects.requireNonNull(visitor, "visitor");
    }

    public static void checkMaxBytes(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, maxBytes=" + maxBytes);
        }
    }

    /** A timeout, not null or negative, in nanoseconds; one too long for a long waits for ever (about 292 years). */
    public static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, timeout=" + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    public static String checkConsumerName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("consumer name must not be empty");
        }
        if (name.length() > Walrus.MAX_CONSUMER_NAME_BYTES / 3
                && name.getBytes(StandardCharsets.UTF_8).length > Walrus.MAX_CONSUMER_NAME_BYTES) {
            throw new IllegalArgumentException("consumer name is longer than " + Walrus.MAX_CONSUMER_NAME_BYTES
                    + " UTF-8 bytes, name=" + name.substring(0, 40) + "...");
        }
        return name;
    }

    static List<Entry> entries(List<byte[]> payloads) {
        List<Entry> entries = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            entries.add(new Entry(payload));
        }
        return entries;
    }
}
