package io.walrus.cursor;

/**
 * A persisted read position: the sequence of the next entry to hand out, with where it was found
 * (the block's sequence in its topic, and the byte offset in that block) as a hint for recovery.
 */
public record Cursor(long nextSequence, long blockSeq, int offset) {
}
