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
            DeadEntries dead = new DeadEntries();
            List<Long> live = new ArrayList<>();
            for (long physical = 0; physical < 60; physical++) {
                if (random.nextInt(4) == 0) {
                    dead.add(physical);
                } else {
                    live.add(physical);
                }
            }
            int from = random.nextInt(live.size());
            int count = random.nextInt(live.size() - from) + 1;
            List<Long> covered = new ArrayList<>();
            long[] runs = dead.runs(from, count);
            for (int r = 0; r < runs.length; r += 2) {
                for (long p = runs[r]; p < runs[r] + runs[r + 1]; p++) {
                    covered.add(p);
                }
            }
            assertEquals(live.subList(from, from + count), covered, "round " + round);
            for (int logical = 0; logical < live.size(); logical++) {
                assertEquals(live.get(logical), dead.physical(logical));
                assertEquals(logical, dead.logical(live.get(logical)));
            }
        }
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
}
