package io.walrus.storage.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFiles;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class IoUringSupportTest {
    @Test
    void disableVariableForcesTheFallbackWithoutProbing() {
        Optional<String> reason = IoUringSupport.probe("1");
        assertTrue(reason.isPresent());
        assertEquals("WALRUS_DISABLE_IO_URING=1 turns it off", reason.get());
    }

    @Test
    void zeroOrFalseDoesNotDisable() {
        assertEquals(IoUringSupport.probe(null), IoUringSupport.probe("0"));
        assertEquals(IoUringSupport.probe(null), IoUringSupport.probe("false"));
    }

    @Test
    void filesThatAreNotIoUringCapableGetSequentialBatches() {
        assertSame(BatchIo.SEQUENTIAL, IoUringSupport.batchIoFor(DataFiles.CHANNEL));
        assertSame(BatchIo.SEQUENTIAL, IoUringSupport.batchIoFor(DataFiles.MMAP));
    }

    @Test
    void theFdBackendFallsBackToFileChannelExactlyWhenIoUringIsUnavailable() {
        assertSame(IoUringSupport.available() ? IoUringSupport.URING_FILES : DataFiles.CHANNEL,
                IoUringSupport.fdBackend());
    }
}
