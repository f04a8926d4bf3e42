package io.walrus.inspect;

import java.util.OptionalLong;

/**
 * A topic as recovery would find it: its verified prefix, and its persisted cursor.
 *
 * @param topic         the topic's name
 * @param blocks        blocks in its chain
 * @param firstSequence the sequence of its first entry in the log
 * @param nextSequence  the sequence its next append would get
 * @param entries       {@code nextSequence - firstSequence}: entries that verify, whole batches only
 * @param bytes         bytes those entries take in the data files (payloads, headers, padding), as
 *                      {@link io.walrus.TopicStats#bytes()} counts them
 * @param cursor        the persisted cursor (next sequence to hand out), if the topic has one; an
 *                      open instance may hold a newer one in memory
 * @param lag           entries after the cursor (all of them without a cursor)
 */
public record TopicInfo(String topic, int blocks, long firstSequence, long nextSequence, long entries, long bytes,
                        OptionalLong cursor, long lag) {
}
