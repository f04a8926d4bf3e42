package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Walrus#flush()}: appends made durable when the caller says, whatever the schedule. */
class FlushTest {
    @TempDir
    Path dir;

    @Test
    void underNoFsyncAFlushForcesTheDataFilesAndMovesNoCursor() throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open()) {
            for (int i = 0; i < 200; i++) {
                wal.appendForTopic("t", new byte[1000]); // several blocks and files
            }
            wal.readNext("t", true).orElseThrow();
            assertEquals(0, wal.stats().fsyncs(), "noFsync() forces nothing on its own");
            wal.flush();
            long forced = wal.stats().fsyncs();
            assertTrue(forced >= 1, wal.stats().toString());
            wal.appendForTopic("t", new byte[10]);
            wal.flush();
            assertTrue(wal.stats().fsyncs() > forced, wal.stats().toString());
            assertEquals(1, wal.stats().topic("t").orElseThrow().cursor());
        }
    }

    @Test
    void aFlushForcesNowUnderAnIntervalTooLongToHaveComeAndReturnsUnderSyncEach() throws IOException {
        try (Walrus wal = TestWals.small(dir.resolve("interval")).fsync(FsyncSchedule.milliseconds(3_600_000)).open()) {
            wal.appendForTopic("t", "x".getBytes(UTF_8));
            assertEquals(0, wal.stats().fsyncs());
            wal.flush();
            assertTrue(wal.stats().fsyncs() >= 1, wal.stats().toString());
        }
        try (Walrus wal = TestWals.small(dir.resolve("each")).fsync(FsyncSchedule.syncEach()).open()) {
            wal.appendForTopic("t", "x".getBytes(UTF_8));
            long forced = wal.stats().fsyncs();
            wal.flush();
            assertEquals(forced, wal.stats().fsyncs(), "every append that returned is durable already");
        }
    }

    @Test
    void flushesFromSeveralThreadsDuringAppendsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.milliseconds(5)).open()) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                String topic = "t" + t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        wal.appendForTopic(topic, new byte[500]);
                    }
                    return null;
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        wal.flush();
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(60, TimeUnit.SECONDS);
            }
            wal.flush();
            assertEquals(500, wal.stats().topic("t0").orElseThrow().entries());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFlushOnAClosedInstanceThrows() throws IOException {
        Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
        wal.close();
        assertThrows(IllegalStateException.class, wal::flush);
    }
}
