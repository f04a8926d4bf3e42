package io.walrus.bench.readcompare;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryFootprintTest {

    @Test
    void arraysAreAHeaderAndTheirBytesPaddedToEight() {
        assertEquals(16, EntryFootprint.byteArray(0));
        assertEquals(24, EntryFootprint.byteArray(1));
        assertEquals(808, EntryFootprint.byteArray(785));
        assertEquals(1040, EntryFootprint.byteArray(1024));
    }

    @Test
    void aReadReturnsAnEntryAndItsArrayInAnOptionalOrAList() {
        assertEquals(16 + 16 + 808, EntryFootprint.readNextResult(785));
        assertEquals(16 + 808, EntryFootprint.batchEntry(785));
    }

    @Test
    void aBatchListIsAnArrayListAndItsExactlySizedArray() {
        assertEquals(24 + 56, EntryFootprint.batchList(10));
        assertEquals(24 + 24, EntryFootprint.batchList(1));
    }
}
