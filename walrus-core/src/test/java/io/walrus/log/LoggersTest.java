package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoggersTest {
    @Test
    void walrusQuietSetToAnythingButZeroOrFalseSilencesTheLibrary() {
        assertTrue(Loggers.quiet("1"));
        assertTrue(Loggers.quiet("yes"));
        assertFalse(Loggers.quiet(null));
        assertFalse(Loggers.quiet(""));
        assertFalse(Loggers.quiet("0"));
        assertFalse(Loggers.quiet("false"));
    }
}
