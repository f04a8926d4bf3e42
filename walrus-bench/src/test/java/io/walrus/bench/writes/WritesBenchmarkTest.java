package io.walrus.bench.writes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WritesBenchmarkTest {

    @Test
    void roundsAlternateWhoGoesFirst() {
        StringBuilder order = new StringBuilder();
        for (int round = 1; round <= 3; round++) {
            order.append(WritesBenchmark.walrusGoesFirst(round) ? "AB" : "BA");
        }

        assertEquals("ABBAAB", order.toString());
    }
}
