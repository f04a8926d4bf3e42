package io.walrus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.DataFileNames;
import io.walrus.testing.CheckpointReader;
import io.walrus.testing.ChildJvm;
import io.walrus.testing.SaveAhead;
import io.walrus.testing.Payloads;
import io.walrus.testing.TestBackend;
import io.walrus.testing.TestWals;
import io.walrus.testing.Version1CursorFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read cursors across close/reopen and across SIGKILL of a reading child JVM, for both consistency
 * modes, and peeks that must never move them. Entries are {@link Payloads#entry} payloads of up to
 * 1.5 KB in 64 KiB blocks, so cursors land in many blocks and files.
 */
class CursorPersistenceTest {
    private static final String TOPIC = "events";

    @TempDir
    Path dir;

    @Test
    void strictlyAtOnceCheckpointSurvivesCloseAndReopen() throws IOException {
        int total = 400;
        appendEntries(total);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (int i = 0; i < total / 2; i++) {
                assertEntry(i, wal.readNext(TOPIC, true), "first session");
            }
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEntry(total / 2, wal.readNext(TOPIC, true), "first read after reopen");
            for (int i = total / 2 + 1; i < total; i++) {
                assertEntry(i, wal.readNext(TOPIC, true), "second session");
            }
            assertEquals(Optional.empty(), wal.readNext(TOPIC, true).map(e -> Payloads.describe(e.data())),
                    "after the last entry");
        }
    }

    @Test
    void aCursorInTheVersion1FormatResumesAfterAnUpgradeAndIsSavedInVersion2() throws IOException {
        int total = 300;
        appendEntries(total);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (int i = 0; i < 150; i++) {
                assertEntry(i, wal.readNext(TOPIC, true), "first session");
            }
        }
        // As an older Walrus left it: the same cursor, in a version 1 file.
        Path file = dir.resolve(DataFileNames.CURSOR_DIRECTORY).resolve(DataFileNames.cursorFile(TOPIC));
        Cursor saved = CursorStore.readAll(dir, new ArrayList<>()).get(TOPIC);
        Files.write(file, Version1CursorFiles.encode(TOPIC, saved));
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEntry(150, wal.readNext(TOPIC, true), "first read after the upgrade");
            assertEquals(8192, Files.size(file), "the first save wrote a version 2 file");
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEntry(151, wal.readNext(TOPIC, true), "from the version 2 file");
        }
    }

    @Test
    void batchReadCheckpointSurvivesCloseAndReopen() throws IOException {
        int total = 400;
        appendEntries(total);
        int consumed = 0;
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (int round = 0; round < 5; round++) {
                for (Entry entry : wal.batchReadForTopic(TOPIC, 8_000, true)) {
                    assertEntry(consumed++, Optional.of(entry), "batch read");
                }
            }
        }
        assertTrue(consumed > 5 && consumed < total, "five reads of at most 8 kB consumed " + consumed);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEntry(consumed, wal.readNext(TOPIC, true), "first read after reopen");
        }
    }

    @Test
    void atLeastOncePersistsTheExactCursorOnClose() throws IOException {
        appendEntries(100);
        try (Walrus wal = open(ReadConsistency.atLeastOnce(1_000))) {
            for (int i = 0; i < 30; i++) {
                assertEntry(i, wal.readNext(TOPIC, true), "first session");
            }
        }
        try (Walrus wal = open(ReadConsistency.atLeastOnce(1_000))) {
            assertEntry(30, wal.readNext(TOPIC, true), "first read after reopen: close persists the cursor");
        }
    }

    /**
     * With saves ahead, past half of persistEvery the cursor is saved in the background; close waits
     * for that save and persists what came after it, so the next session starts at exactly the next
     * entry whatever point the last read reached (below half, at it, just after, at persistEvery and
     * past it).
     */
    @Test
    void atLeastOnceClosePersistsTheExactCursorWhateverSaveWasInFlight() throws IOException {
        appendEntries(100);
        long next = 0;
        for (int reads : new int[]{3, 5, 6, 10, 13, 1}) {
            try (Walrus wal = SaveAhead.always(() -> open(ReadConsistency.atLeastOnce(10)))) {
                for (int i = 0; i < reads; i++) {
                    assertEntry(next++, wal.readNext(TOPIC, true), reads + " reads");
                }
            }
        }
        try (Walrus wal = open(ReadConsistency.atLeastOnce(10))) {
            assertEntry(next, wal.readNext(TOPIC, true), "after the last session");
        }
    }

    /**
     * The child prints {@code READ i} after readNext(checkpoint) returned entry i, so when the last line
     * the parent got is {@code READ p}: entry p was checkpointed (persisted before readNext returned),
     * and at most one more readNext, of p + 1, can have run after it. So the next entry is p + 1, or
     * p + 2 when that last readNext persisted its checkpoint but was killed before printing. Anything
     * lower hands out a checkpointed entry twice; anything higher skips one that was never handed out.
     */
    @Test
    void strictlyAtOnceNeverHandsOutACheckpointedEntryTwiceAcrossKill9() throws IOException {
        int total = 5_000;
        appendEntries(total);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        StorageBackend[] backends = {TestBackend.current().storageBackend(), TestBackend.current().otherStorageBackend(),
                TestBackend.current().storageBackend()};
        long start = 0;
        for (int round = 0; round < backends.length; round++) {
            int killAfterReads = 200 + random.nextInt(200);
            String where = "round " + round + " (" + backends[round] + ", kill after " + killAfterReads
                    + " reads, seed " + seed + ")";
            long lastPrinted = readInChildUntilKilled(backends[round], 0, "paced", start, killAfterReads, total, where);

            long next = peekIndex(ReadConsistency.strictlyAtOnce(), total);
            Set<Long> allowed = new TreeSet<>(List.of(lastPrinted + 1, lastPrinted + 2));
            allowed.removeIf(i -> i > total);
            assertTrue(allowed.contains(next), where + ": after the child printed READ " + lastPrinted
                    + " the next entry must be one of " + allowed + " but is " + describeIndex(next, total));
            start = next;
        }
        assertRestIsContiguous(ReadConsistency.strictlyAtOnce(), start, total);
    }

    /**
     * Under atLeastOnce(n) the cursor may be persisted up to n checkpoints late, so after the kill the
     * next entry is at least p + 1 - n (p the last entry printed), never before where this child
     * started, and never past p + 2 (see the strictlyAtOnce case).
     */
    @Test
    void atLeastOnceReplaysAtMostPersistEveryEntriesAfterKill9() throws IOException {
        int total = 5_000;
        int persistEvery = 50;
        appendEntries(total);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        StorageBackend[] backends = {TestBackend.current().storageBackend(), TestBackend.current().otherStorageBackend(),
                TestBackend.current().storageBackend()};
        // The last two rounds save ahead always: the kill may land while a background save is in flight.
        String[] saveAhead = {"paced", "always", "always"};
        long start = 0;
        for (int round = 0; round < backends.length; round++) {
            int killAfterReads = 200 + random.nextInt(200);
            String where = "round " + round + " (" + backends[round] + ", atLeastOnce(" + persistEvery
                    + "), saves ahead " + saveAhead[round] + ", kill after " + killAfterReads + " reads, seed " + seed + ")";
            long lastPrinted = readInChildUntilKilled(backends[round], persistEvery, saveAhead[round], start,
                    killAfterReads, total, where);

            long next = peekIndex(ReadConsistency.atLeastOnce(persistEvery), total);
            long lowest = Math.max(start, lastPrinted + 1 - persistEvery);
            long highest = Math.min(total, lastPrinted + 2);
            assertTrue(next >= lowest && next <= highest, where + ": after the child printed READ " + lastPrinted
                    + " (having started at " + start + ") the next entry must be in [" + lowest + ", " + highest
                    + "] but is " + describeIndex(next, total));
            start = next;
        }
        assertRestIsContiguous(ReadConsistency.atLeastOnce(persistEvery), start, total);
    }

    @Test
    void peekNeverMovesTheCursorEvenAcrossReopen() throws IOException {
        appendEntries(5);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (int i = 0; i < 3; i++) {
                assertEntry(0, wal.readNext(TOPIC, false), "peek " + i);
            }
            for (int i = 0; i < 2; i++) {
                List<Entry> peeked = wal.batchReadForTopic(TOPIC, Long.MAX_VALUE, false);
                assertEquals(5, peeked.size(), "batch peek " + i);
                for (int k = 0; k < 5; k++) {
                    assertEntry(k, Optional.of(peeked.get(k)), "batch peek " + i);
                }
            }
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEntry(0, wal.readNext(TOPIC, false), "peek after reopen");
            assertEntry(0, wal.readNext(TOPIC, true), "read after reopen");
            assertEntry(1, wal.readNext(TOPIC, false), "peek after one read");
            assertEntry(1, wal.batchReadForTopic(TOPIC, Long.MAX_VALUE, false).stream().findFirst(),
                    "batch peek after one read");
        }
        try (Walrus wal = open(ReadConsistency.atLeastOnce(100))) {
            assertEntry(1, wal.readNext(TOPIC, false), "peek after second reopen");
            assertEntry(1, wal.readNext(TOPIC, true), "read after second reopen");
        }
    }

    @Test
    void checkpointMovesOnlyItsOwnTopicsCursor() throws IOException {
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (int i = 0; i < 3; i++) {
                wal.appendForTopic("a", Payloads.entry("a", i));
                wal.appendForTopic("b", Payloads.entry("b", i));
            }
            wal.readNext("a", true);
            wal.readNext("a", true);
            assertEquals(List.of(0L, 1L, 2L), wal.batchReadForTopic("b", Long.MAX_VALUE, true).stream()
                    .map(e -> Payloads.indexOf(e.data())).toList(), "topic b after reading a");
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEquals(Optional.of(2L), wal.readNext("a", true).map(e -> Payloads.indexOf(e.data())), "a");
            assertEquals(Optional.empty(), wal.readNext("b", true).map(e -> Payloads.describe(e.data())), "b");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs a {@link CheckpointReader} from cursor {@code start}, kills it after {@code killAfterReads}
     * reads (or once it consumed everything) and returns the last entry it printed, start - 1 if none.
     */
    private long readInChildUntilKilled(StorageBackend backend, int persistEvery, String saveAhead, long start,
            int killAfterReads, int total, String where) {
        long lastPrinted = start - 1;
        try (ChildJvm child = ChildJvm.start(CheckpointReader.class, dir.toString(), backend.name(),
                Integer.toString(persistEvery), TOPIC, saveAhead)) {
            int reads = 0;
            boolean exhausted = false;
            while (reads < killAfterReads && !exhausted) {
                String line = child.nextLine();
                if (line == null) {
                    fail(where + ": the reader stopped before it was killed" + child.diagnostics());
                }
                if (line.startsWith("READ ")) {
                    lastPrinted = checkedRead(line, lastPrinted, where, child);
                    reads++;
                } else if (line.equals("EXHAUSTED")) {
                    exhausted = true;
                }
            }
            for (String line : child.killAndDrain()) {
                if (line.startsWith("READ ")) {
                    lastPrinted = checkedRead(line, lastPrinted, where, child);
                }
            }
            assertTrue(lastPrinted < total, where + ": read past the end");
        }
        return lastPrinted;
    }

    private static long checkedRead(String line, long lastPrinted, String where, ChildJvm child) {
        long index = Long.parseLong(line.substring("READ ".length()));
        assertEquals(lastPrinted + 1, index, where + ": the reader got entries out of order or repeated"
                + child.diagnostics());
        return index;
    }

    /** Reopens, peeks (which must not move the cursor) and closes: the next index, or total if none. */
    private long peekIndex(ReadConsistency mode, int total) throws IOException {
        try (Walrus wal = open(mode)) {
            Optional<Entry> next = wal.readNext(TOPIC, false);
            if (next.isEmpty()) {
                return total;
            }
            long index = Payloads.indexOf(next.get().data());
            assertArrayEquals(Payloads.entry(TOPIC, index), next.get().data(), "payload of entry " + index);
            return index;
        }
    }

    /** Batch reads (one checkpoint per batch keeps strictlyAtOnce cheap) give exactly from..total-1. */
    private void assertRestIsContiguous(ReadConsistency mode, long from, int total) throws IOException {
        try (Walrus wal = open(mode)) {
            long next = from;
            List<Entry> batch;
            while (!(batch = wal.batchReadForTopic(TOPIC, 1 << 20, true)).isEmpty()) {
                for (Entry entry : batch) {
                    assertTrue(next < total, "an entry after the last one written: " + Payloads.describe(entry.data()));
                    assertEntry(next++, Optional.of(entry), "reading the rest");
                }
            }
            assertEquals(total, next, "entries read after the kills end at the last one written");
        }
    }

    private static String describeIndex(long index, int total) {
        return index == total ? "none (topic consumed)" : Long.toString(index);
    }

    private void appendEntries(int count) throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open()) {
            for (int i = 0; i < count; i++) {
                wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, i));
            }
        }
    }

    private Walrus open(ReadConsistency mode) throws IOException {
        return TestWals.small(dir).consistency(mode).fsync(FsyncSchedule.noFsync()).open();
    }

    private static void assertEntry(long index, Optional<Entry> actual, String when) {
        assertTrue(actual.isPresent(), when + ": expected entry " + index + " but the topic gave nothing");
        byte[] expected = Payloads.entry(TOPIC, index);
        byte[] data = actual.get().data();
        if (!Arrays.equals(expected, data)) {
            fail(when + ": expected " + Payloads.describe(expected) + " but got " + Payloads.describe(data));
        }
    }
}
