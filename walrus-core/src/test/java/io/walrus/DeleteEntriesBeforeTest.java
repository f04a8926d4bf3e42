package io.walrus;

import io.walrus.testing.TestWals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Walrus#deleteEntriesBefore}: files go once every entry in them is before the caller's
 * floors, whatever the instance's own consumers have read; what is kept reads on by position, and
 * survives a reopen.
 */
class DeleteEntriesBeforeTest {
    private static final int ENTRIES = 2000;
    private static final byte[] PADDING = new byte[900];
    private static final String FIRST_FILE = io.walrus.format.DataFileNames.dataFile(0);

    @TempDir
    Path dir;

    @Test
    void filesBeforeTheFloorsGoAndWhatIsKeptReadsOnByPosition() throws IOException {
        long floor = ENTRIES / 2;
        long earliest;
        try (Walrus wal = open()) {
            for (int i = 0; i < ENTRIES; i++) {
                wal.appendForTopic("a", entry(i));
                wal.appendForTopic("b", entry(i));
            }
            assertEquals(0, wal.deleteEntriesBefore(Map.of("a", floor)), "b keeps every file: it shares them with a");
            assertTrue(Files.exists(dir.resolve(FIRST_FILE)));
            int deleted = wal.deleteEntriesBefore(Map.of("a", floor, "b", floor));
            assertTrue(deleted > 0, "some files were wholly before both floors");
            assertTrue(Files.notExists(dir.resolve(FIRST_FILE)), "the first data file is gone");

            TopicStats stats = wal.stats().topic("a").orElseThrow();
            earliest = stats.nextSequence() - stats.entries();
            assertTrue(earliest > 0 && earliest <= floor, "the earliest kept entry is at or before the floor: " + earliest);
            assertEquals(new String(entry(earliest), StandardCharsets.UTF_8), text(wal.readFrom("a", 0, 0, 1).getFirst()),
                    "a read before the kept entries starts at the first kept one");
            assertEquals(new String(entry(floor), StandardCharsets.UTF_8), text(wal.readFrom("a", floor, 0, 1).getFirst()));
        }
        try (Walrus wal = open()) {
            TopicStats stats = wal.stats().topic("b").orElseThrow();
            assertEquals(earliest, stats.nextSequence() - stats.entries(), "the deletion is kept across a reopen");
            assertEquals(ENTRIES, stats.nextSequence());
            assertEquals(new String(entry(ENTRIES - 1), StandardCharsets.UTF_8),
                    text(wal.readFrom("b", ENTRIES - 1, 0, 1).getFirst()));
            wal.appendForTopic("b", entry(ENTRIES));
            assertEquals(ENTRIES + 1, wal.stats().topic("b").orElseThrow().nextSequence());
        }
    }

    @Test
    void badFloorsAreRefusedBeforeAnythingIsDeleted() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic("a", entry(0));
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> wal.deleteEntriesBefore(Map.of("a", -1L)));
            assertEquals("floor of topic 'a' must not be negative, floor=-1", negative.getMessage());
            assertThrows(IllegalArgumentException.class, () -> wal.deleteEntriesBefore(Map.of("", 1L)));
            assertThrows(NullPointerException.class, () -> wal.deleteEntriesBefore(null));
            assertEquals(1, wal.stats().topic("a").orElseThrow().entries());
            assertTrue(wal.readNext("a", true, Duration.ZERO).isPresent(), "the instance stays usable");
        }
    }

    private Walrus open() throws IOException {
        // One lane: both topics write into the same files, so a file goes only once both floors pass it.
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).fileLanes(1).deleteConsumedFilesEvery(Duration.ZERO)
                .open();
    }

    private static byte[] entry(long i) {
        byte[] text = ("entry-" + i + "-").getBytes(StandardCharsets.UTF_8);
        byte[] payload = java.util.Arrays.copyOf(text, text.length + PADDING.length);
        return payload;
    }

    private static String text(Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }
}
