package io.walrus.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecentWritesTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final RecentWrites recent = new RecentWrites(clock::get);

    @Test
    void theSecondUnderWayIsLeftOutUntilItEnds() {
        recent.applied(1, -1);
        assertEquals(0, recent.window().appends());
        clock.addAndGet(SECOND);
        RecentWrites.Window window = recent.window();
        assertEquals(1, window.seconds());
        assertEquals(1, window.appends());
    }

    @Test
    void batchesCountOnceAsAppendsAndEachEntryAsAnEntry() {
        recent.applied(64, -1);
        recent.applied(1, -1);
        clock.addAndGet(SECOND);
        assertEquals(2, recent.window().appends());
        assertEquals(65, recent.window().entries());
    }

    @Test
    void latencyIsTheMeanAndMaxOfTheAppendsThisNodeReceived() {
        recent.applied(1, 2_000_000);
        recent.applied(1, 6_000_000);
        recent.applied(1, -1);
        clock.addAndGet(SECOND);
        RecentWrites.Window window = recent.window();
        assertEquals(2, window.latencySamples());
        assertEquals(4_000_000, window.latencyMeanNanos());
        assertEquals(6_000_000, window.latencyMaxNanos());
    }

    @Test
    void withoutSamplesTheLatencyIsUnknown() {
        recent.applied(1, -1);
        clock.addAndGet(SECOND);
        assertEquals(-1, recent.window().latencyMeanNanos());
        assertEquals(-1, recent.window().latencyMaxNanos());
    }

    @Test
    void onlyTheLastTenWholeSecondsCount() {
        for (int s = 0; s < 25; s++) {
            recent.applied(1, s * 1_000L);
            clock.addAndGet(SECOND);
        }
        RecentWrites.Window window = recent.window();
        assertEquals(RecentWrites.WINDOW_SECONDS, window.seconds());
        assertEquals(10, window.appends());
        assertEquals(24_000L, window.latencyMaxNanos(), "the latest seconds' samples, not the first ones'");
    }

    @Test
    void secondsWithNothingAppliedCountAsNothingEvenAfterTheRingWrapped() {
        recent.applied(5, -1);
        clock.addAndGet(SECOND * (RecentWrites.WINDOW_SECONDS + 3));
        RecentWrites.Window window = recent.window();
        assertEquals(RecentWrites.WINDOW_SECONDS, window.seconds());
        assertEquals(0, window.appends());
        assertEquals(0, window.entries());
    }
}
