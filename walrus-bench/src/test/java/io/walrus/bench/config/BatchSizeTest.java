package io.walrus.bench.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchSizeTest {

    @Test
    void defaultsToTheOriginalsBatchOf256() {
        assertEquals(256, BatchSize.fromEnvironment(Map.of()));
        assertEquals(256, BatchSize.fromEnvironment(Map.of("BATCH", " ")));
    }

    @Test
    void batchWinsOverWalrusBatchSize() {
        assertEquals(64, BatchSize.fromEnvironment(Map.of("BATCH", "64", "WALRUS_BATCH_SIZE", "128")));
    }

    @Test
    void walrusBatchSizeIsHonouredWhenBatchIsUnset() {
        assertEquals(128, BatchSize.fromEnvironment(Map.of("WALRUS_BATCH_SIZE", "128")));
    }

    @Test
    void aBatchOutsideOneTo2000IsRefusedNamingTheVariableRead() {
        InvalidSettingException tooBig = assertThrows(InvalidSettingException.class,
                () -> BatchSize.fromEnvironment(Map.of("BATCH", "2001")));
        assertEquals("BATCH=\"2001\" is not valid: expected a whole number from 1 to 2000 (entries per batch)",
                tooBig.getMessage());

        InvalidSettingException zero = assertThrows(InvalidSettingException.class,
                () -> BatchSize.fromEnvironment(Map.of("WALRUS_BATCH_SIZE", "0")));
        assertEquals("WALRUS_BATCH_SIZE=\"0\" is not valid: expected a whole number from 1 to 2000 (entries per batch)",
                zero.getMessage());
    }
}
