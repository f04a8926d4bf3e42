package io.walrus.bench.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmUpWindowsTest {

    @Test
    void aPauseOnTheWayUpDoesNotEndTheWarmUpButThreeWindowsAlikeDo() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofMinutes(2));
        // The rates of a real warm-up (appends per 5 s / 5), with its pause at 339 and 351.
        for (long rate : new long[] {50, 125, 173, 247, 339, 351, 407, 595, 824, 790}) {
            assertFalse(windows.steadyAfter(rate * 5), "still climbing at " + rate + "/s");
        }
        assertTrue(windows.steadyAfter(800 * 5), "824, 790, 800: within 10 %");
        assertEquals(11, windows.windows());
    }

    @Test
    void evenASteadyRateRunsTheFirstSixWindows() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofMinutes(2));
        for (int window = 1; window < WarmUpWindows.MIN_WINDOWS; window++) {
            assertFalse(windows.steadyAfter(1_000), "window " + window);
        }
        assertTrue(windows.steadyAfter(1_000));
    }

    @Test
    void aRateThatNeverSettlesStopsAtTheLimit() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofSeconds(40));
        for (int window = 1; window < 8; window++) {
            assertFalse(windows.steadyAfter(window % 2 == 0 ? 500 : 1_000), "window " + window);
        }
        assertTrue(windows.steadyAfter(500), "40 s are eight windows of 5 s");
    }

    @Test
    void windowsWithNothingAppendedAreNeverSteady() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofMinutes(2));
        for (int window = 0; window < 10; window++) {
            assertFalse(windows.steadyAfter(0));
        }
    }

    @Test
    void aLimitBelowTheMinimumStillEndsAtTheLimit() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofSeconds(10));
        assertFalse(windows.steadyAfter(100));
        assertTrue(windows.steadyAfter(900));
    }
}
