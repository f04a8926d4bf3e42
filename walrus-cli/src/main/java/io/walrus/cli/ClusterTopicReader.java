package io.walrus.cli;

import io.walrus.Walrus;
import io.walrus.client.WalrusClient;
import io.walrus.client.wire.Reply;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * One topic of a cluster read by sequence, as dump and tail read it: through {@link WalrusClient#scan},
 * which answers with what is committed (a linearizable read through the leader) and moves no cursor.
 * Not thread-safe: one command reads with it.
 */
final class ClusterTopicReader {
    /** Payload bytes asked for in one scan: many small entries a round trip, far below the message limit. */
    private static final long PAGE_BYTES = 8L << 20;

    private final WalrusClient client;
    private final String topic;
    private long next;

    ClusterTopicReader(WalrusClient client, String topic, long from) {
        this.client = client;
        this.topic = topic;
        this.next = from;
    }

    /**
     * Prints up to {@code max} entries from the next sequence on, a page a round trip, until the
     * topic has no more committed; returns how many it printed.
     */
    long printAvailable(long max, EntryFormat format, PrintWriter out) throws IOException {
        long printed = 0;
        while (printed < max) {
            Reply.Entries page = client.scan(topic, next, PAGE_BYTES, (int) Math.min(Walrus.MAX_BATCH_ENTRIES, max - printed));
            List<byte[]> payloads = page.payloads();
            if (payloads.isEmpty()) {
                break;
            }
            for (int i = 0; i < payloads.size(); i++) {
                format.print(out, topic, page.firstSequence() + i, payloads.get(i));
            }
            next = page.firstSequence() + payloads.size();
            printed += payloads.size();
        }
        return printed;
    }

    /**
     * How many entries the topic has committed, 0 for a topic that does not exist (a topic exists
     * from its first append, and a cluster keeps every entry, numbered from 0). Found with one-entry
     * scans, doubling then halving: about 2 log2(n) round trips, not a read of the whole topic.
     */
    static long committedEntries(WalrusClient client, String topic) throws IOException {
        if (!holds(client, topic, 0)) {
            return 0;
        }
        long held = 0; // a sequence the topic holds
        long beyond = 1; // a candidate for the first sequence it does not hold
        while (holds(client, topic, beyond)) {
            held = beyond;
            beyond = beyond > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : beyond * 2;
        }
        while (beyond - held > 1) {
            long middle = held + (beyond - held) / 2;
            if (holds(client, topic, middle)) {
                held = middle;
            } else {
                beyond = middle;
            }
        }
        return beyond;
    }

    private static boolean holds(WalrusClient client, String topic, long sequence) throws IOException {
        // maxBytes 0 still returns the entry at the sequence, if there is one.
        return !client.scan(topic, sequence, 0, 1).payloads().isEmpty();
    }
}
