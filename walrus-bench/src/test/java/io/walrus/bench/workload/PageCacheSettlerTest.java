package io.walrus.bench.workload;

import io.walrus.bench.report.DirtyPageProbe.DirtyPages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageCacheSettlerTest {
    private static final long THRESHOLD_KB = 1000;
    private static final Duration POLL = Duration.ofMillis(1);

    @Test
    void syncsThenWaitsUntilDirtyPlusWritebackIsUnderTheThreshold() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        // Each figure is under the threshold alone; only their sum must count.
        Supplier<DirtyPages> reader = readings(pages(5000, 0), pages(800, 900), pages(600, 300), pages(10, 0));
        PageCacheSettler settler = new PageCacheSettler(timeout -> flushes.incrementAndGet(), reader,
                THRESHOLD_KB, Duration.ofSeconds(10), POLL);

        PageCacheSettler.Outcome outcome = settler.settle();

        assertEquals(1, flushes.get());
        assertTrue(outcome.settled());
        assertEquals(pages(5000, 0), outcome.before());
        assertEquals(pages(600, 300), outcome.after(), "stops at the first reading under the threshold");
        assertNull(outcome.flushError());
        assertTrue(outcome.describe().matches("settle: waited .+: dirty\\+writeback 5,000 kB -> 900 kB \\(target < 1,000 kB\\)"),
                outcome.describe());
    }

    @Test
    void givesUpAtTheLimitWhenTheMachineNeverSettles() throws IOException {
        PageCacheSettler settler = new PageCacheSettler(timeout -> { }, () -> pages(2000, 0),
                THRESHOLD_KB, Duration.ofMillis(50), POLL);

        long start = System.nanoTime();
        PageCacheSettler.Outcome outcome = settler.settle();

        assertFalse(outcome.settled());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos());
        assertTrue(outcome.describe().contains(", gave up: dirty+writeback 2,000 kB -> 2,000 kB"), outcome.describe());
    }

    @Test
    void withoutMeminfoItOnlySyncs() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        PageCacheSettler settler = new PageCacheSettler(timeout -> flushes.incrementAndGet(), () -> null,
                THRESHOLD_KB, Duration.ofSeconds(10), POLL);

        PageCacheSettler.Outcome outcome = settler.settle();

        assertEquals(1, flushes.get());
        assertFalse(outcome.settled());
        // Not the 10 s limit: with no figures to wait on it does not wait (a bound, not a measurement).
        assertTrue(outcome.waitedNanos() < Duration.ofSeconds(10).toNanos());
        assertTrue(outcome.describe().contains("not waiting for writeback"), outcome.describe());
    }

    @Test
    void aFailedSyncIsReportedAndTheWaitStillHappens() throws IOException {
        Supplier<DirtyPages> reader = readings(pages(5000, 0), pages(3000, 0), pages(0, 0));
        PageCacheSettler settler = new PageCacheSettler(timeout -> {
            throw new IOException("no sync here");
        }, reader, THRESHOLD_KB, Duration.ofSeconds(10), POLL);

        PageCacheSettler.Outcome outcome = settler.settle();

        assertTrue(outcome.settled());
        assertEquals("no sync here", outcome.flushError());
        assertTrue(outcome.describe().endsWith("; sync failed: no sync here"), outcome.describe());
    }

    private static DirtyPages pages(long dirtyKb, long writebackKb) {
        return new DirtyPages(dirtyKb, writebackKb);
    }

    /** Gives the readings in turn, then the last one for ever. */
    private static Supplier<DirtyPages> readings(DirtyPages... pages) {
        Deque<DirtyPages> queue = new ArrayDeque<>(List.of(pages));
        return () -> queue.size() > 1 ? queue.poll() : queue.peek();
    }
}
