package io.walrus.bench.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThreadSweepTest {

    @Test
    void unsetOrBlankIsOneToFour() {
        assertEquals(List.of(1, 2, 3, 4), ThreadSweep.parse(null));
        assertEquals(List.of(1, 2, 3, 4), ThreadSweep.parse("  "));
        assertEquals(List.of(1, 2, 3, 4), ThreadSweep.fromEnvironment(Map.of()));
    }

    @Test
    void aSingleNumberDoublesUpToIt() {
        assertEquals(List.of(1), ThreadSweep.parse("1"));
        assertEquals(List.of(1, 2, 4, 8), ThreadSweep.parse("8"));
        assertEquals(List.of(1, 2, 4, 6), ThreadSweep.parse(" 6 "));
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000), ThreadSweep.parse("1000"));
    }

    @Test
    void aRangeVisitsEveryCount() {
        assertEquals(List.of(2, 3, 4, 5), ThreadSweep.parse("2-5"));
        assertEquals(List.of(3), ThreadSweep.parse("3-3"));
        assertEquals(List.of(1, 2), ThreadSweep.parse("1 - 2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "4-2", "0-2", "1-1025", "1025", "two", "1-", "-", "1-2-3", "1..4"})
    void badValuesNameTheVariableAndTheValue(String value) {
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> ThreadSweep.parse(value));

        assertEquals("THREADS", error.variable());
        assertEquals("THREADS=\"" + value + "\" is not valid: expected " + ThreadSweep.ACCEPTED, error.getMessage());
    }
}
