package io.walrus.log;

import java.util.Arrays;

/**
 * An immutable snapshot of a topic's chain of blocks. Blocks are numbered from the topic's first
 * block since the instance opened: deletion drops blocks from the front, so a block keeps its
 * number while its index in {@link #blocks} changes, and a reader holding a number finds out
 * that its block is gone ({@code number < firstNumber}) instead of reading another one.
 *
 * @param blocks        the retained blocks, in order
 * @param firstNumber   the number of {@code blocks[0]} (of the next block, when there is none)
 * @param emptyFloor    while {@code blocks} is empty: the topic's next sequence, where it starts
 * @param emptyBlockSeq while {@code blocks} is empty: the lowest block sequence its next block may take
 */
record TopicChain(Block[] blocks, long firstNumber, long emptyFloor, long emptyBlockSeq) {
    static final TopicChain EMPTY = new TopicChain(new Block[0], 0, 0, 0);

    /** The number after the last block: what the next block appended gets. */
    long endNumber() {
        return firstNumber + blocks.length;
    }

    /** The block of that number, or null when it was dropped or is not there yet. */
    Block block(long number) {
        long index = number - firstNumber;
        return index >= 0 && index < blocks.length ? blocks[(int) index] : null;
    }

    /** The first entry the topic still holds (its next entry when it holds none). */
    long floorSequence() {
        return blocks.length > 0 ? blocks[0].baseSequence : emptyFloor;
    }

    /** Block sequence of the first retained block: every block of the topic below it is consumed. */
    long floorBlockSeq() {
        return blocks.length > 0 ? blocks[0].blockSeq : emptyBlockSeq;
    }

    TopicChain append(Block block) {
        Block[] next = Arrays.copyOf(blocks, blocks.length + 1);
        next[blocks.length] = block;
        return new TopicChain(next, firstNumber, emptyFloor, emptyBlockSeq);
    }

    /** Without the blocks numbered {@code endNumber} and later. */
    TopicChain truncateTo(long endNumber) {
        int keep = (int) Math.max(0, Math.min(blocks.length, endNumber - firstNumber));
        return keep == blocks.length ? this
                : new TopicChain(Arrays.copyOf(blocks, keep), firstNumber, emptyFloor, emptyBlockSeq);
    }

    /** Without the first {@code count} blocks, which must be sealed. */
    TopicChain dropFirst(int count) {
        if (count == 0) {
            return this;
        }
        Block lastDropped = blocks[count - 1];
        return new TopicChain(Arrays.copyOfRange(blocks, count, blocks.length), firstNumber + count,
                lastDropped.committedNextSequence(), lastDropped.blockSeq + 1);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "chain of " + blocks.length + " blocks from number " + firstNumber;
    }
}
