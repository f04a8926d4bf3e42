package io.walrus.log;

import java.util.Arrays;

/**
 * Where a few entries of one topic start, as reads by sequence ({@link SequenceReads}) left them:
 * each read's end, which is where its caller's next read begins. Finding an arbitrary entry means
 * walking entry headers through its block; a read that starts at a known position does not.
 *
 * <p>Bounded to {@link #CAPACITY} positions; a new one replaces the one least recently remembered.
 * Finding a position does not renew it, since a read that finds its start and returns entries
 * leaves that start behind and remembers its end: so a caller's place survives the next
 * {@code CAPACITY - 1} reads of every other caller, and a handful of callers reading the same topic
 * at their own pace each find their last end still there. A read at the end of the topic, which
 * finds nothing there yet, renews that position, so a caller polling the end keeps its place however
 * much others read.
 *
 * <p>A position stays true while the instance is open: a block keeps its number in the chain, and
 * the bytes below its committed end never change (a failed batch truncates only blocks that hold
 * none of the committed entries). A block deleted since is seen by the reader, which then moves to
 * the earliest retained entry. Positions are not persisted: a reopened instance learns them again.
 */
final class KnownPositions {
    static final int CAPACITY = 16;

    /** The sequence of each known position; -1 for a free slot. */
    private final long[] sequences = new long[CAPACITY];
    private final long[] blockNumbers = new long[CAPACITY];
    private final int[] offsets = new int[CAPACITY];
    /** When each position was last remembered, by {@link #clock}: the smallest is replaced first. */
    private final long[] remembered = new long[CAPACITY];
    private long clock;

    KnownPositions() {
        Arrays.fill(sequences, -1);
    }

    /** Moves {@code at} to where entry {@code sequence} starts, if that is known; returns whether it was. */
    synchronized boolean find(long sequence, ChainPosition at) {
        for (int i = 0; i < CAPACITY; i++) {
            if (sequences[i] == sequence) {
                at.moveTo(blockNumbers[i], offsets[i], sequence);
                return true;
            }
        }
        return false;
    }

    /**
     * Moves {@code at} to the nearest known position before entry {@code sequence} in block
     * {@code blockNumber}, from where a walk to it is shortest; returns whether there was one.
     */
    synchronized boolean findBefore(long sequence, long blockNumber, ChainPosition at) {
        int best = -1;
        for (int i = 0; i < CAPACITY; i++) {
            if (blockNumbers[i] == blockNumber && sequences[i] >= 0 && sequences[i] < sequence
                    && (best < 0 || sequences[i] > sequences[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return false;
        }
        at.moveTo(blockNumbers[best], offsets[best], sequences[best]);
        return true;
    }

    /** Counts the position of entry {@code sequence}, if known, as just remembered: it is replaced last. */
    synchronized void renew(long sequence) {
        for (int i = 0; i < CAPACITY; i++) {
            if (sequences[i] == sequence) {
                remembered[i] = ++clock;
                return;
            }
        }
    }

    /**
     * Entry {@code sequence} starts at {@code offset} of block {@code blockNumber} (or that block
     * ends there, and the entry starts the next one). A position already known is renewed.
     */
    synchronized void remember(long sequence, long blockNumber, int offset) {
        int slot = 0;
        for (int i = 0; i < CAPACITY; i++) {
            if (sequences[i] == sequence) {
                remembered[i] = ++clock; // the same entry, the same place: only its age changes
                return;
            }
            if (remembered[i] < remembered[slot]) {
                slot = i;
            }
        }
        sequences[slot] = sequence;
        blockNumbers[slot] = blockNumber;
        offsets[slot] = offset;
        remembered[slot] = ++clock;
    }
}
