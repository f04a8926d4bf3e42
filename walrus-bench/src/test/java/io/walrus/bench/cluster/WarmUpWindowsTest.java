package io.walrus.bench.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmUpWindowsTest {

    @Test
    void aRateStillClimbingKeepsTheWarmUpGoingUntilTwoWindowsAgree() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofMinutes(2));
        assertFalse(windows.steadyAfter(400));
        assertFalse(windows.steadyAfter(900));
        assertFalse(windows.steadyAfter(1_500));
        assertFalse(windows.steadyAfter(2_000));
        assertTrue(windows.steadyAfter(2_100), "within 10 % of the window before");
        assertEquals(5, windows.windows());
    }

    @Test
    void evenASteadyRateRunsTheFirstThreeWindows() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofMinutes(2));
        assertFalse(windows.steadyAfter(1_000));
        assertFalse(windows.steadyAfter(1_000));
        assertTrue(windows.steadyAfter(1_000));
    }

    @Test
    void aRateThatNeverSettlesStopsAtTheLimit() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofSeconds(30));
        for (int window = 1; window < 6; window++) {
            assertFalse(windows.steadyAfter(window % 2 == 0 ? 500 : 1_000), "window " + window);
        }
        assertTrue(windows.steadyAfter(500), "30 s are six windows of 5 s");
    }

    @Test
    void aWindowWithNothingAppendedIsNeverSteady() {
        WarmUpWindows windows = new WarmUpWindows(Duration.ofMinutes(2));
        for (int window = 0; window < 5; window++) {
            assertFalse(windows.steadyAfter(0));
        }
    }
}
