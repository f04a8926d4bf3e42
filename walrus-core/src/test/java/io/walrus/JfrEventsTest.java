package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.jfr.DeletionEvent;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code jfr print --categories Walrus} shows: recovery, batch writes, flushes and deletions, with their fields. */
class JfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void recoveryBatchWritesAndFlushesAreRecorded() throws IOException {
        try (Walrus wal = TestWals.small(dir.resolve("wal")).open()) {
            wal.appendForTopic("orders", "before".getBytes(UTF_8));
        }
        Path file = dir.resolve("walrus.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.walrus.Recovery");
            recording.enable("io.walrus.BatchWrite");
            recording.enable("io.walrus.Flush");
            recording.start();
            try (Walrus wal = TestWals.small(dir.resolve("wal")).fsync(FsyncSchedule.syncEach()).open()) {
                wal.batchAppendForTopic("orders", List.of("a".getBytes(UTF_8), "bc".getBytes(UTF_8)));
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);

        RecordedEvent recovery = only(events, "io.walrus.Recovery");
        assertTrue(recovery.getBoolean("cleanShutdown"));
        assertEquals(1, recovery.getInt("files"));
        assertEquals(1, recovery.getInt("topics"));
        assertEquals(1, recovery.getLong("entries"));
        assertTrue(recovery.getString("directory").endsWith("wal"), recovery.toString());

        RecordedEvent batch = only(events, "io.walrus.BatchWrite");
        assertEquals("orders", batch.getString("topic"));
        assertEquals(2, batch.getInt("entries"));
        assertEquals(3, batch.getLong("bytes"));
        assertFalse(batch.getBoolean("failed"));

        List<RecordedEvent> flushes = events.stream().filter(e -> e.getEventType().getName().equals("io.walrus.Flush")).toList();
        assertFalse(flushes.isEmpty(), "syncEach flushed the batch: " + events);
        assertTrue(flushes.stream().allMatch(f -> f.getInt("files") >= 1 && !f.getBoolean("failed")), flushes.toString());
    }

    @Test
    void aDeletedConsumedFileIsRecorded() throws IOException {
        Path file = dir.resolve("deletion.jfr");
        byte[] payload = new byte[16 << 10];
        try (Recording recording = new Recording()) {
            recording.enable("io.walrus.Deletion");
            recording.start();
            try (Walrus wal = TestWals.small(dir.resolve("wal")).fileLanes(1).deleteConsumedFilesEvery(Duration.ZERO)
                    .open()) {
                for (int i = 0; i < 20; i++) { // three 16 KiB entries a 64 KiB block, four blocks a file
                    wal.appendForTopic("orders", payload);
                }
                while (wal.readNext("orders", true).isPresent()) {
                    // consume everything
                }
                assertEquals(1, wal.deleteConsumedFiles());
            }
            recording.stop();
            recording.dump(file);
        }
        RecordedEvent deletion = only(RecordingFile.readAllEvents(file), "io.walrus.Deletion");
        assertEquals("00000000000000000000.wal", deletion.getString("file"));
        assertEquals(4, deletion.getInt("blocks"));
        assertEquals(4096 + 4 * (64 << 10), deletion.getLong("bytes"));
        assertTrue(deletion.getString("directory").endsWith("wal"), deletion.toString());
        EventType type = EventType.getEventType(DeletionEvent.class);
        assertTrue(type.getCategoryNames().contains("Walrus"));
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        List<RecordedEvent> matching = events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
        assertEquals(1, matching.size(), name + " in " + events);
        return matching.getFirst();
    }
}
