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
 * lock, each seeing one {@link Layout} or the next. Lookups are binary searches, and the ranges in
 * deleted files are folded into one ({@link #foldBelow}), so a topic that saw many leader changes
 * costs neither memory nor time per read for the ones behind its retention.
 */
final class DeadEntries {
    /**
     * Pairs of (first, end) physical sequences, sorted, disjoint and never adjacent, and for each range
     * how many entries are dead up to its end: published together, so a reader never sees one without
     * the other.
     */
    private record Layout(long[] ranges, long[] deadThrough) {
        static final Layout EMPTY = new Layout(new long[0], new long[0]);

        int size() {
            return deadThrough.length;
        }

        long start(int i) {
            return ranges[2 * i];
        }

        long end(int i) {
            return ranges[2 * i + 1];
        }

        long count() {
            return deadThrough.length == 0 ? 0 : deadThrough[deadThrough.length - 1];
        }

        /** Live entries before range {@code i}: strictly increasing with {@code i}, as ranges never touch. */
        long liveBefore(int i) {
            return start(i) - (deadThrough[i] - (end(i) - start(i)));
        }

        static Layout of(long[] ranges) {
            long[] deadThrough = new long[ranges.length / 2];
            long total = 0;
            for (int i = 0; i < deadThrough.length; i++) {
                total += ranges[2 * i + 1] - ranges[2 * i];
                deadThrough[i] = total;
            }
            return new Layout(ranges, deadThrough);
        }
    }

    private volatile Layout layout = Layout.EMPTY;

    /** Marks the entry at {@code physical} dead; it is above every entry marked so far. */
    void add(long physical) {
        long[] current = layout.ranges();
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
        layout = Layout.of(next);
    }

    /** How many entries are dead: the physical sequence after the applied entries is logical + this. */
    long count() {
        return layout.count();
    }

    /** Where the live entry numbered {@code logical} is in the node's Walrus topic. */
    long physical(long logical) {
        Layout current = layout;
        int last = lastStartingBefore(current, logical);
        return last < 0 ? logical : logical + current.deadThrough()[last];
    }

    /** The last range with at most {@code logical} live entries before it (-1 if none): those the entry lies after. */
    private static int lastStartingBefore(Layout layout, long logical) {
        int low = 0;
        int high = layout.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (layout.liveBefore(middle) <= logical) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low - 1;
    }

    /** The logical sequence of the first live entry at or after {@code physical}. */
    long logical(long physical) {
        Layout current = layout;
        // The last range starting below physical: every dead entry before physical is in it or before it.
        int low = 0;
        int high = current.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (current.start(middle) < physical) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        int last = low - 1;
        if (last < 0) {
            return physical;
        }
        long deadBefore = current.deadThrough()[last] - (current.end(last) - current.start(last));
        return physical - deadBefore - (Math.min(current.end(last), physical) - current.start(last));
    }

    /**
     * Live entries from {@code logical} on, {@code entries} of them, as runs of consecutive physical
     * sequences: pairs (first, length).
     */
    long[] runs(long logical, long entries) {
        Layout current = layout;
        int next = lastStartingBefore(current, logical) + 1;
        long physical = next == 0 ? logical : logical + current.deadThrough()[next - 1];
        long[] runs = new long[4];
        int used = 0;
        long left = entries;
        while (left > 0) {
            long nextDead = next < current.size() ? current.start(next) : Long.MAX_VALUE;
            long length = Math.min(left, nextDead - physical);
            if (used == runs.length) {
                runs = Arrays.copyOf(runs, used * 2);
            }
            runs[used++] = physical;
            runs[used++] = length;
            left -= length;
            if (left > 0) {
                physical = current.end(next);
                next++;
            }
        }
        return Arrays.copyOf(runs, used);
    }

    /**
     * Folds the ranges that end at or below {@code firstKept} (the first physical sequence the node's
     * Walrus topic still holds: every entry below it was deleted) into one range of as many entries,
     * ending where the last of them ends. The mapping of every entry at or after {@code firstKept}
     * stays as it was; that of deleted ones, which nothing reads, does not. Under the same rule as
     * {@link #add}: only the thread applying the log (or taking a snapshot between applies) calls it.
     *
     * @return how many ranges were folded away
     */
    int foldBelow(long firstKept) {
        Layout current = layout;
        int folded = 0;
        while (folded < current.size() && current.end(folded) <= firstKept) {
            folded++;
        }
        if (folded < 2) {
            return 0;
        }
        long end = current.end(folded - 1);
        long dead = current.deadThrough()[folded - 1];
        long[] ranges = current.ranges();
        long[] next = new long[ranges.length - 2 * (folded - 1)];
        next[0] = end - dead;
        next[1] = end;
        System.arraycopy(ranges, 2 * folded, next, 2, ranges.length - 2 * folded);
        layout = Layout.of(next);
        return folded - 1;
    }

    /** The ranges as pairs (first, end), for the snapshot file. */
    long[] ranges() {
        return layout.ranges().clone();
    }

    /** The ranges a snapshot file recorded. */
    static DeadEntries of(long[] ranges) {
        if (ranges.length % 2 != 0) {
            throw new IllegalArgumentException("dead ranges come in pairs, not " + ranges.length + " numbers");
        }
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            if (ranges[i] < 0 || ranges[i + 1] <= ranges[i] || (i > 0 && ranges[i] <= ranges[i - 1])) {
                throw new IllegalArgumentException("dead ranges not sorted and disjoint: " + Arrays.toString(ranges));
            }
        }
        DeadEntries dead = new DeadEntries();
        dead.layout = Layout.of(ranges.clone());
        return dead;
    }
}
