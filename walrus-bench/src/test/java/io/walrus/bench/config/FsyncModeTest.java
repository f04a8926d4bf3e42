package io.walrus.bench.config;

import io.walrus.FsyncSchedule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FsyncModeTest {

    @Test
    void unsetOrBlankMeansOneSecondInterval() {
        assertEquals(FsyncMode.every(1000), FsyncMode.parse(null));
        assertEquals(FsyncMode.every(1000), FsyncMode.parse("  "));
    }

    @Test
    void namedModesMapToTheirSchedules() {
        assertEquals(FsyncMode.syncEach(), FsyncMode.parse("sync-each"));
        assertEquals(FsyncMode.none(), FsyncMode.parse("no-fsync"));
        assertEquals(FsyncMode.none(), FsyncMode.parse("none"));
        assertEquals(FsyncMode.every(1000), FsyncMode.parse("async"));
        assertEquals(FsyncMode.syncEach(), FsyncMode.parse(" Sync-Each "));
    }

    @Test
    void intervalAcceptsMillisecondsWithOrWithoutSuffix() {
        assertEquals(FsyncMode.every(250), FsyncMode.parse("250ms"));
        assertEquals(FsyncMode.every(250), FsyncMode.parse("250"));
        assertEquals(FsyncMode.every(1), FsyncMode.parse("1ms"));
    }

    @Test
    void modesBecomeTheMatchingWalrusSchedule() {
        assertEquals(FsyncSchedule.syncEach(), FsyncMode.syncEach().toSchedule());
        assertEquals(FsyncSchedule.noFsync(), FsyncMode.none().toSchedule());
        assertEquals(FsyncSchedule.milliseconds(500), FsyncMode.every(500).toSchedule());
    }

    @Test
    void modesPrintAsTheyAreWritten() {
        assertEquals("sync-each", FsyncMode.parse("sync-each").toString());
        assertEquals("no-fsync", FsyncMode.parse("none").toString());
        assertEquals("1000ms", FsyncMode.parse("async").toString());
    }

    @Test
    void zeroNegativeAndUnknownValuesAreRejectedNamingVariableAndValue() {
        for (String bad : new String[] {"0", "0ms", "-5", "sometimes", "10s", "ms", "1.5ms"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> FsyncMode.parse(bad));
            assertEquals("FSYNC", e.variable());
            assertTrue(e.getMessage().startsWith("FSYNC=\"" + bad + "\" is not valid"), e.getMessage());
        }
    }
}
