package io.walrus;

/**
 * One topic in a {@link WalrusStats} snapshot.
 *
 * @param topic        the topic's name
 * @param entries      entries the log holds for it (committed appends; a batch counts once it is whole)
 * @param bytes        bytes those entries take in the data files: payloads with their 24-byte headers
 *                     and padding to 8 bytes
 * @param blocks       blocks the topic owns
 * @param nextSequence the sequence number its next append gets (entries are numbered 0, 1, 2, ...)
 * @param cursor       the sequence number of the next entry a checkpointing read hands out
 * @param lag          entries appended but not yet read with a checkpoint: {@code nextSequence - cursor}
 */
public record TopicStats(String topic, long entries, long bytes, int blocks, long nextSequence, long cursor,
                         long lag) {
}
