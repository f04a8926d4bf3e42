package io.walrus.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeadEntriesTest {

    @Test
    void logicalAndPhysicalSequencesSkipTheDeadEntries() {
        DeadEntries dead = new DeadEntries();
        dead.add(2);
        dead.add(3);
        dead.add(7);
        // Physical 0 1 [2 3] 4 5 6 [7] 8 ...: logical 0 1 - - 2 3 4 - 5
        assertEquals(3, dead.count());
        assertEquals(List.of(0L, 1L, 4L, 5L, 6L, 8L, 9L), List.of(dead.physical(0), dead.physical(1), dead.physical(2),
                dead.physical(3), dead.physical(4), dead.physical(5), dead.physical(6)));
        assertEquals(List.of(0L, 1L, 2L, 2L, 2L, 3L, 4L, 5L, 5L), List.of(dead.logical(0), dead.logical(1), dead.logical(2),
                dead.logical(3), dead.logical(4), dead.logical(5), dead.logical(6), dead.logical(7), dead.logical(8)));
        assertArrayEquals(new long[]{2, 4, 7, 8}, dead.ranges());
    }

    @Test
    void runsCoverExactlyTheLiveEntriesAskedFor() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Long> live = new ArrayList<>();
            DeadEntries dead = randomly(random, 60, 4, live);
            int from = random.nextInt(live.size());
            int count = random.nextInt(live.size() - from) + 1;
            assertEquals(live.subList(from, from + count), covered(dead.runs(from, count)), "round " + round);
            for (int logical = 0; logical < live.size(); logical++) {
                assertEquals(live.get(logical), dead.physical(logical));
                assertEquals(logical, dead.logical(live.get(logical)));
            }
        }
    }

    @Test
    void foldingTheRangesOfDeletedFilesKeepsWhereEveryKeptEntryIs() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            List<Long> live = new ArrayList<>();
            DeadEntries dead = randomly(random, 80, 3, live);
            long count = dead.count();
            long firstKept = random.nextInt(80);
            int rangesBefore = dead.ranges().length / 2;
            int folded = dead.foldBelow(firstKept);
            assertEquals(rangesBefore - folded, dead.ranges().length / 2, "round " + round);
            assertEquals(count, dead.count(), "round " + round);
            DeadEntries.of(dead.ranges());
            int firstKeptLogical = (int) live.stream().filter(p -> p < firstKept).count();
            assertEquals(firstKeptLogical, dead.logical(firstKept), "round " + round);
            for (int logical = firstKeptLogical; logical < live.size(); logical++) {
                assertEquals(live.get(logical), dead.physical(logical), "round " + round);
                assertEquals(logical, dead.logical(live.get(logical)), "round " + round);
            }
            if (firstKeptLogical < live.size()) {
                int from = firstKeptLogical + random.nextInt(live.size() - firstKeptLogical);
                assertEquals(live.subList(from, live.size()), covered(dead.runs(from, live.size() - from)), "round " + round);
            }
            dead.add(80);
            assertEquals(count + 1, dead.count(), "an entry marked dead after the fold counts, round " + round);
        }
    }

    @Test
    void foldingLeavesOneRangeOfAsManyEntriesEndingWhereTheLastFoldedEnds() {
        DeadEntries dead = DeadEntries.of(new long[]{2, 4, 7, 8, 10, 13, 20, 21});
        assertEquals(0, dead.foldBelow(7), "one range below: nothing to gain");
        assertEquals(2, dead.foldBelow(15));
        assertArrayEquals(new long[]{7, 13, 20, 21}, dead.ranges());
        assertEquals(7, dead.count());
        assertEquals(21, dead.physical(14));
    }

    @Test
    void aDeadEntryBelowTheLastIsRefused() {
        DeadEntries dead = new DeadEntries();
        dead.add(5);
        assertThrows(IllegalStateException.class, () -> dead.add(4));
    }

    @Test
    void rangesOfASnapshotFileAreCheckedAndKept() {
        DeadEntries dead = DeadEntries.of(new long[]{2, 4, 7, 8});
        assertEquals(3, dead.count());
        assertEquals(8, dead.physical(5));
        assertThrows(IllegalArgumentException.class, () -> DeadEntries.of(new long[]{2, 4, 4, 6}));
        assertThrows(IllegalArgumentException.class, () -> DeadEntries.of(new long[]{5, 4}));
        assertThrows(IllegalArgumentException.class, () -> DeadEntries.of(new long[]{1, 2, 3}));
    }

    /** Physical entries 0 to {@code size}, each dead with odds 1 in {@code oneIn}; the live ones added to {@code live}. */
    private static DeadEntries randomly(Random random, int size, int oneIn, List<Long> live) {
        DeadEntries dead = new DeadEntries();
        for (long physical = 0; physical < size; physical++) {
            if (random.nextInt(oneIn) == 0) {
                dead.add(physical);
            } else {
                live.add(physical);
            }
        }
        return dead;
    }

    /** The physical sequences that runs (pairs of first, length) cover, in order. */
    private static List<Long> covered(long[] runs) {
        List<Long> covered = new ArrayList<>();
        for (int r = 0; r < runs.length; r += 2) {
            for (long p = runs[r]; p < runs[r] + runs[r + 1]; p++) {
                covered.add(p);
            }
        }
        return covered;
    }
}
