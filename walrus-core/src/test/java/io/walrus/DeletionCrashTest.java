package io.walrus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.format.DataFileNames;
import io.walrus.testing.ChildJvm;
import io.walrus.testing.DeletingProducerConsumer;
import io.walrus.testing.Payloads;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and consumes (default and named consumer, strictlyAtOnce) while consumed files
 * are deleted every few milliseconds, and is killed with SIGKILL at a random moment, five times
 * over. After each kill: every acknowledged entry is there, nothing beyond the append in flight;
 * each consumer resumes right after the last entry it reported (or one further, when the kill came
 * between the persisted checkpoint and the report): never a checkpointed entry twice, never a gap.
 */
class DeletionCrashTest {
    private static final String TOPIC = "events";

    @TempDir
    Path dir;

    @Test
    void killsDuringDeletionLoseNothingAndRepeatNothingUnderStrictlyAtOnce() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long nextToAppend = 0;
        long[] consumed = {-1, -1}; // the last entry each consumer (default, named) reported
        for (int round = 0; round < 5; round++) {
            String fsync = random.nextBoolean() ? "sync" : "none";
            int lines = 300 + random.nextInt(1500);
            String where = "round " + round + " (" + fsync + ", kill after " + lines + " lines, seed " + seed + ")";
            long highestAck = runUntilKilled(nextToAppend, fsync, lines, consumed, where);
            try (Walrus wal = open()) {
                TopicStats stats = wal.stats().topics().stream().filter(t -> t.topic().equals(TOPIC)).findFirst()
                        .orElseThrow();
                long end = stats.nextSequence();
                assertTrue(end - 1 >= highestAck, where + ": acknowledged entry " + highestAck + " lost; log ends at "
                        + (end - 1));
                assertTrue(end - 1 <= highestAck + 1, where + ": log ends at " + (end - 1) + ", beyond the append in "
                        + "flight after " + highestAck);
                consumed[0] = checkResumePoint("default consumer", wal.readNext(TOPIC, false), consumed[0], end, where);
                consumed[1] = checkResumePoint("named consumer", wal.consumer("named").readNext(TOPIC, false),
                        consumed[1], end, where);
                nextToAppend = end;
            }
        }
        assertTrue(Files.exists(dir.resolve(DataFileNames.RETENTION_FILE)), "consumed files were deleted (seed "
                + seed + ")");
        try (Walrus wal = open()) {
            assertRestIsContiguous(wal.readNext(TOPIC, true), () -> wal.readNext(TOPIC, true), consumed[0] + 1,
                    nextToAppend);
            Consumer named = wal.consumer("named");
            assertRestIsContiguous(named.readNext(TOPIC, true), () -> named.readNext(TOPIC, true), consumed[1] + 1,
                    nextToAppend);
        }
    }

    private long runUntilKilled(long start, String fsync, int lines, long[] consumed, String where) {
        long highestAck = start - 1;
        try (ChildJvm child = ChildJvm.start(DeletingProducerConsumer.class, dir.toString(), TOPIC,
                Long.toString(start), fsync)) {
            for (int n = 0; n < lines; n++) {
                String line = child.nextLine();
                if (line == null) {
                    fail(where + ": the child stopped before it was killed" + child.diagnostics());
                }
                highestAck = record(line, highestAck, consumed, where, child);
            }
            for (String line : child.killAndDrain()) {
                highestAck = record(line, highestAck, consumed, where, child);
            }
        }
        return highestAck;
    }

    private static long record(String line, long highestAck, long[] consumed, String where, ChildJvm child) {
        String[] parts = line.split(" ");
        long i = Long.parseLong(parts[1]);
        switch (parts[0]) {
            case "ACK" -> {
                assertEquals(highestAck + 1, i, where + ": acknowledgements out of order" + child.diagnostics());
                return i;
            }
            case "DREAD", "NREAD" -> {
                int k = parts[0].equals("DREAD") ? 0 : 1;
                assertEquals(consumed[k] + 1, i, where + ": " + parts[0] + " out of order or repeated"
                        + child.diagnostics());
                consumed[k] = i;
                return highestAck;
            }
            default -> {
                fail(where + ": unexpected line '" + line + "'" + child.diagnostics());
                return highestAck;
            }
        }
    }

    /** The consumer's next entry must be p + 1 or p + 2 (p: the last it reported); returns what it has consumed. */
    private static long checkResumePoint(String who, Optional<Entry> next, long p, long end, String where) {
        long index = next.map(e -> Payloads.indexOf(e.data())).orElse(end);
        next.ifPresent(e -> assertArrayEquals(Payloads.entry(TOPIC, index), e.data(), where + ": " + who));
        assertTrue(index == p + 1 || (index == p + 2 && p + 2 <= end), where + ": " + who + " reported entry " + p
                + " last, so its next entry must be " + (p + 1) + " or " + (p + 2) + " but is " + index);
        return index - 1;
    }

    @FunctionalInterface
    private interface Read {
        Optional<Entry> next() throws IOException;
    }

    private static void assertRestIsContiguous(Optional<Entry> first, Read read, long from, long end)
            throws IOException {
        long expected = from;
        for (Optional<Entry> entry = first; entry.isPresent(); entry = read.next()) {
            assertEquals(expected, Payloads.indexOf(entry.get().data()));
            assertArrayEquals(Payloads.entry(TOPIC, expected), entry.get().data());
            expected++;
        }
        assertEquals(end, expected, "the rest ends at the end of the log");
    }

    private Walrus open() throws IOException {
        return TestWals.small(dir).consistency(ReadConsistency.strictlyAtOnce()).fsync(FsyncSchedule.noFsync())
                .deleteConsumedFilesEvery(Duration.ZERO).open();
    }
}
