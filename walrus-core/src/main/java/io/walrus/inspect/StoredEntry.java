package io.walrus.inspect;

/**
 * An entry read from disk, with where it lies.
 *
 * @param topic    its topic
 * @param sequence its number in the topic (0, 1, 2, ...)
 * @param file     the data file's name
 * @param block    the block's index in that file
 * @param offset   the entry's byte offset from the start of the block
 * @param payload  the bytes that were appended
 */
public record StoredEntry(String topic, long sequence, String file, int block, int offset, byte[] payload) {
}
