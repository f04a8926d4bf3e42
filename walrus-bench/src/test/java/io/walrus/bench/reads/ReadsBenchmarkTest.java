package io.walrus.bench.reads;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadsBenchmarkTest {

    @Test
    void verdictSaysWhetherEverythingCameBack() {
        assertEquals("entries: 1,000 written, 1,000 read: every entry read back",
                ReadsBenchmark.verdict(1000, 1000, true));
        assertEquals("entries: 1,000 written, 400 read; the read phase did NOT drain every topic within the duration",
                ReadsBenchmark.verdict(1000, 400, false));
        assertEquals("entries: 1,000 written, 999 read: MISMATCH, 1 missing",
                ReadsBenchmark.verdict(1000, 999, true));
    }
}
