package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsTest {
    @TempDir
    Path dir;

    @Test
    void statsCountEntriesBytesCursorAndLagPerTopic() throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open()) {
            for (int i = 0; i < 10; i++) {
                wal.appendForTopic("orders", new byte[16]); // a 40-byte frame: 24 header + 16 payload
            }
            wal.batchAppendForTopic("audit", List.of("a".getBytes(UTF_8), "b".getBytes(UTF_8)));
            for (int i = 0; i < 4; i++) {
                wal.readNext("orders", true).orElseThrow();
            }
            wal.readNext("orders", false).orElseThrow(); // a peek does not move the cursor

            WalrusStats stats = wal.stats();
            TopicStats orders = stats.topic("orders").orElseThrow();
            assertEquals(new TopicStats("orders", 10, 10 * 40, 1, 10, 4, 6), orders);
            assertEquals(new TopicStats("audit", 2, 2 * 32, 1, 2, 0, 2), stats.topic("audit").orElseThrow());
            assertEquals(List.of("audit", "orders"), stats.topics().stream().map(TopicStats::topic).toList());
            assertEquals(dir.toAbsolutePath(), stats.directory());
            assertEquals(2, stats.blocks());
            assertTrue(stats.files() >= 1, stats.toString());
        }
    }

    @Test
    void fsyncsAreCountedAndTimedUnderSyncEach() throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.syncEach()).open()) {
            assertEquals(0, wal.stats().fsyncs());
            assertEquals(Duration.ZERO, wal.stats().meanFsync());
            for (int i = 0; i < 5; i++) {
                wal.appendForTopic("t", new byte[100]);
            }
            WalrusStats stats = wal.stats();
            // One writer: each append is its own group-commit round, so each forced the file once.
            assertEquals(5, stats.fsyncs());
            assertTrue(stats.maxFsync().compareTo(Duration.ZERO) > 0, stats.toString());
            assertTrue(stats.maxFsync().compareTo(stats.fsyncTime()) <= 0, stats.toString());
            assertEquals(stats.fsyncTime().dividedBy(5), stats.meanFsync());
        }
    }

    @Test
    void statsAfterReopenReflectWhatWasRecovered() throws IOException {
        try (Walrus wal = TestWals.small(dir).open()) {
            for (int i = 0; i < 300; i++) {
                wal.appendForTopic("orders", new byte[1000]);
            }
            for (int i = 0; i < 120; i++) {
                wal.readNext("orders", true).orElseThrow();
            }
        }
        try (Walrus wal = TestWals.small(dir).open()) {
            TopicStats orders = wal.stats().topic("orders").orElseThrow();
            assertEquals(300, orders.entries());
            assertEquals(300 * 1024L, orders.bytes());
            assertEquals(120, orders.cursor());
            assertEquals(180, orders.lag());
            assertTrue(orders.blocks() >= 5, orders.toString());
            assertTrue(wal.stats().files() >= 2, wal.stats().toString());
        }
    }

    @Test
    void statsOfAClosedInstanceThrow() throws IOException {
        Walrus wal = TestWals.small(dir).open();
        wal.close();
        assertThrows(IllegalStateException.class, wal::stats);
    }
}
