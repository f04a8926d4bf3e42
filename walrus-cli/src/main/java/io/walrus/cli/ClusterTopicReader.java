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

}
