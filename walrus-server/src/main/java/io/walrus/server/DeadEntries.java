package io.walrus.server;

import java.util.Arrays;

/**
 * The entries of one topic in a node's Walrus instance that no committed Raft entry owns: payloads of
 * entries a new leader truncated, and second copies of an entry (written again after a crash took the
 * log's copy of it). They stay in the files, as Walrus never rewrites one; what the topic's consumers
 * see, numbered 0, 1, 2, ... in log order (the <em>logical</em> sequence, the same on every node),
 * skips them, and this maps it to the entry's place in the node's own Walrus topic (its
 * <em>physical</em> sequence, which differs from node to node).
 *
 * <p>Dead entries are found while applying, in order, so every range lies below the topic's applied
 * entries. They are rare (a leader change with appends in flight), so the ranges are a small sorted
 * array replaced whole when one is added: the thread applying the log adds, queries read without a
 * lock, each seeing one array or the next.
 */
final class DeadEntries {
    /** Pairs of (first, end) physical sequences, sorted, disjoint and never adjacent. */
    private volatile long[] ranges = new long[0];
    private volatile long count;

    /** Marks the entry at {@code physical} dead; it is above every entry marked so far. */
    void add(long physical) {
        long[] current = ranges;
        int n = current.length;
        if (n > 0 && physical < current[n - 1]) {
            throw new IllegalStateException("dead entry " + physical + " below the last range's end " + current[n - 1]);
        }
        long[] next;
        if (n > 0 && current[n - 1] == physical) {
            next = current.clone();
            next[n - 1] = physical + 1;
        } else {
            next = Arrays.copyOf(current, n + 2);
            next[n] = physical;
            next[n + 1] = physical + 1;
        }
        count = count + 1;
        ranges = next;
    }

    /** How many entries are dead: the physical sequence after the applied entries is logical + this. */
    long count() {
        return count;
    }

    /** Where the live entry numbered {@code logical} is in the node's Walrus topic. */
    long physical(long logical) {
        long[] current = ranges;
        long physical = logical;
        for (int i = 0; i < current.length && current[i] <= physical; i += 2) {
            physical += current[i + 1] - current[i];
        }
        return physical;
    }

    /** The logical sequence of the first live entry at or after {@code physical}. */
    long logical(long physical) {
        long[] current = ranges;
        long dead = 0;
        for (int i = 0; i < current.length && current[i] < physical; i += 2) {
            dead += Math.min(current[i + 1], physical) - current[i];
        }
        return physical - dead;
    }

    /**
     * Live entries from {@code logical} on, {@code entries} of them, as runs of consecutive physical
     * sequences: pairs (first, length).
     */
    long[] runs(long logical, long entries) {
        long[] current = ranges;
        long[] runs = new long[4];
        int used = 0;
        long physical = physical(logical);
        long left = entries;
        while (left > 0) {
            long nextDead = Long.MAX_VALUE;
            long deadEnd = 0;
            for (int i = 0; i < current.length; i += 2) {
                if (current[i] > physical) {
                    nextDead = current[i];
                    deadEnd = current[i + 1];
                    break;
                }
            }
            long length = Math.min(left, nextDead - physical);
            if (used == runs.length) {
                runs = Arrays.copyOf(runs, used * 2);
            }
            runs[used++] = physical;
            runs[used++] = length;
            left -= length;
            physical = deadEnd;
        }
        return Arrays.copyOf(runs, used);
    }

    /** The ranges as pairs (first, end), for the snapshot file. */
    long[] ranges() {
        return ranges.clone();
    }

    /** The ranges a snapshot file recorded. */
    static DeadEntries of(long[] ranges) {
        DeadEntries dead = new DeadEntries();
        long total = 0;
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            if (ranges[i + 1] <= ranges[i] || (i > 0 && ranges[i] <= ranges[i - 1])) {
                throw new IllegalArgumentException("dead ranges not sorted and disjoint: " + Arrays.toString(ranges));
            }
            total += ranges[i + 1] - ranges[i];
        }
        if (ranges.length % 2 != 0) {
            throw new IllegalArgumentException("dead ranges come in pairs, not " + ranges.length + " numbers");
        }
        dead.ranges = ranges.clone();
        dead.count = total;
        return dead;
    }
}
