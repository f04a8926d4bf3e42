package io.walrus.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusFiguresTest {

    @Test
    void ratesBelowAHundredKeepADecimalAndLargerOnesAreGrouped() {
        assertEquals("0", StatusFigures.rate(0));
        assertEquals("12.5", StatusFigures.rate(12.5));
        assertEquals("40", StatusFigures.rate(40));
        assertEquals("4,210", StatusFigures.rate(4_210.4));
    }

    @Test
    void durationsAreMillisecondsTypicalThenHighAndADashWithoutAny() {
        assertEquals("3.50/41 ms", StatusFigures.meanAndMax(3_500_000, 41_000_000));
        assertEquals("0.45/0.45 ms", StatusFigures.meanAndMax(450_000, -1));
        assertEquals("-", StatusFigures.meanAndMax(-1, -1));
    }

    @Test
    void diskIsTheRaftLogAndWalrusTogetherInMebibytes() {
        assertEquals("96.0 MiB", StatusFigures.bytes(32L << 20, 64L << 20));
        assertEquals("-", StatusFigures.bytes(-1, 64L << 20));
    }

    @Test
    void aNodeWithoutFiguresShowsADashInEachColumn() {
        assertEquals(java.util.List.of("-", "-", "-", "-", "-"), StatusFigures.columns(null));
        assertEquals(java.util.List.of("0.3", "0.3", "87/134 ms", "2.56/3.69 ms", "96.0 MiB"), StatusFigures.columns(
                new io.walrus.client.wire.Reply.NodeFigures(7, 2, 2, 1, 87_000_000, 134_000_000, 2_560_000, 3_690_000,
                        32L << 20, 64L << 20)));
    }
}
