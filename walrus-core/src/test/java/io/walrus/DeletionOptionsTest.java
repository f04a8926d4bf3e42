package io.walrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionOptionsTest {
    @TempDir
    Path dir;

    @Test
    void aNullOrNegativeIntervalIsRefusedNamingIt() {
        NullPointerException none = assertThrows(NullPointerException.class,
                () -> Walrus.builder().deleteConsumedFilesEvery(null));
        assertEquals("interval", none.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Walrus.builder().deleteConsumedFilesEvery(Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("PT-0.001S"), negative.getMessage());
    }

    @Test
    void explicitDeletionOnAClosedInstanceIsRefused() throws Exception {
        Walrus wal = Walrus.builder().dataDir(dir).deleteConsumedFilesEvery(Duration.ofDays(100_000_000)).open();
        assertEquals(0, wal.deleteConsumedFiles());
        wal.close();
        assertThrows(IllegalStateException.class, wal::deleteConsumedFiles);
    }
}
