package io.walrus.bench.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDurationTest {

    @Test
    void durationAcceptsSecondsMinutesAndMillis() {
        assertEquals(Duration.ofSeconds(10), RunDuration.parse("10s"));
        assertEquals(Duration.ofMinutes(2), RunDuration.parse("2m"));
        assertEquals(Duration.ofMillis(500), RunDuration.parse("500ms"));
        assertEquals(Duration.ofHours(1), RunDuration.parse("1h"));
    }

    @Test
    void plainNumberIsSeconds() {
        assertEquals(Duration.ofSeconds(30), RunDuration.parse("30"));
    }

    @Test
    void unsetOrBlankMeansTenSeconds() {
        assertEquals(Duration.ofSeconds(10), RunDuration.parse(null));
        assertEquals(Duration.ofSeconds(10), RunDuration.parse(""));
    }

    @Test
    void caseAndSurroundingSpacesAreIgnored() {
        assertEquals(Duration.ofSeconds(3), RunDuration.parse(" 3S "));
    }

    @Test
    void zeroNegativeFractionalAndUnknownUnitsAreRejected() {
        for (String bad : new String[] {"0", "0s", "-1s", "1.5s", "5x", "s", "ten", "9223372036854775807m"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> RunDuration.parse(bad));
            assertEquals("WALRUS_DURATION", e.variable());
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void anotherVariableTakesTheSameFormItsOwnDefaultAndNamesItselfInErrors() {
        assertEquals(Duration.ofMinutes(3), RunDuration.parse("CLUSTER_WARMUP", "3m", Duration.ofSeconds(120)));
        assertEquals(Duration.ofSeconds(120), RunDuration.parse("CLUSTER_WARMUP", null, Duration.ofSeconds(120)));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> RunDuration.parse("CLUSTER_WARMUP", "soon", Duration.ofSeconds(120)));
        assertEquals("CLUSTER_WARMUP", e.variable());
    }
}
