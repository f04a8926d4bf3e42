package io.walrus.bench.readcompare;

import io.walrus.bench.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadEntriesTest {

    @Test
    void unsetGivesTheDefault() {
        assertEquals(ReadEntries.DEFAULT, ReadEntries.parse(null));
        assertEquals(ReadEntries.DEFAULT, ReadEntries.parse(" "));
    }

    @Test
    void acceptsPlainNumbersSeparatorsAndThousands() {
        assertEquals(50_000, ReadEntries.parse("50000"));
        assertEquals(50_000, ReadEntries.parse("50,000"));
        assertEquals(300_000, ReadEntries.parse("300k"));
    }

    @Test
    void refusesWhatWouldNotFitOrIsNoNumber() {
        for (String bad : new String[] {"999", "1000001", "2m", "lots", "-5"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> ReadEntries.parse(bad));
            assertEquals("READ_ENTRIES", e.variable());
        }
    }
}
