package io.walrus.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush asked for ({@link WriteAheadLog#flush()}) that fails is fail-stop, as a scheduled one is:
 * the caller hears why, the instance takes no more writes, no later flush pretends the data is safe,
 * and what was committed stays readable. (That the background flusher stops too is shown against a
 * flush the test controls, in {@code io.walrus.sync.FlushNowTest}.)
 */
class FlushFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFailedFlushUnderNoFsyncNamesTheCauseAndStopsWrites() throws IOException {
        FaultyDataFiles files = new FaultyDataFiles();
        WriteAheadLog log = LogFixture.open(dir, files, FlushPolicy.Kind.onCloseOnly(), 4);
        try {
            log.append("t", "kept".getBytes(UTF_8));
            files.failForce.set(true);
            IOException failed = assertThrows(IOException.class, log::flush);
            assertTrue(failed.getMessage().contains("injected fsync failure"), failed.getMessage());

            files.failForce.set(false);
            IOException refused = assertThrows(IOException.class, () -> log.append("t", "more".getBytes(UTF_8)));
            assertTrue(refused.getMessage().contains("stopped taking writes"), refused.getMessage());
            IOException again = assertThrows(IOException.class, log::flush);
            assertTrue(again.getMessage().contains("injected fsync failure"), "a later flush says why: "
                    + again.getMessage());
            assertArrayEquals("kept".getBytes(UTF_8), log.readFrom("t", 0, 100, 10).getFirst());
            assertArrayEquals("kept".getBytes(UTF_8), log.readNext("t", false));
        } finally {
            try {
                log.close();
            } catch (IOException ignored) {
                // close flushes too; the instance already failed
            }
        }
    }

    @Test
    void aFlushAfterAFailedScheduledFlushIsRefused() throws Exception {
        FaultyDataFiles files = new FaultyDataFiles();
        WriteAheadLog log = LogFixture.open(dir, files, FlushPolicy.Kind.syncEach(), 4);
        try {
            files.failForce.set(true);
            assertThrows(IOException.class, () -> log.append("t", "x".getBytes(UTF_8)));
            files.failForce.set(false);
            IOException refused = assertThrows(IOException.class, log::flush);
            assertTrue(refused.getMessage().contains("stopped taking writes"), refused.getMessage());
        } finally {
            try {
                log.close();
            } catch (IOException ignored) {
                // close flushes too; the instance already failed
            }
        }
    }
}
