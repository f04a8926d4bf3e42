package io.walrus.bench.config;

import io.walrus.StorageBackend;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadConfigTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(Map.of());

        assertEquals(FsyncMode.every(1000), config.fsync());
        assertEquals(2, config.threads());
        assertEquals(Duration.ofSeconds(10), config.duration());
        assertEquals(0, config.batchSize());
        assertFalse(config.batched());
        assertEquals(StorageBackend.FD, config.backend());
        assertEquals(Path.of("bench_data"), config.dataDir());
        assertEquals(1, config.rounds());
    }

    @Test
    void everyVariableIsRead() {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(Map.of(
                "FSYNC", "sync-each",
                "THREADS", "8",
                "WALRUS_DURATION", "2m",
                "WALRUS_BATCH_SIZE", "256",
                "BACKEND", "mmap",
                "WALRUS_DATA_DIR", "/tmp/walrus-bench",
                "BENCH_ROUNDS", "2"));

        assertEquals(FsyncMode.syncEach(), config.fsync());
        assertEquals(8, config.threads());
        assertEquals(Duration.ofMinutes(2), config.duration());
        assertEquals(256, config.batchSize());
        assertTrue(config.batched());
        assertEquals(StorageBackend.MMAP, config.backend());
        assertEquals(Path.of("/tmp/walrus-bench"), config.dataDir());
        assertEquals(2, config.rounds());
    }

    @Test
    void blankValuesCountAsUnset() {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(Map.of(
                "THREADS", "", "WALRUS_BATCH_SIZE", " ", "BACKEND", "", "WALRUS_DATA_DIR", "", "BENCH_ROUNDS", " "));

        assertEquals(2, config.threads());
        assertEquals(0, config.batchSize());
        assertEquals(StorageBackend.FD, config.backend());
        assertEquals(Path.of("bench_data"), config.dataDir());
        assertEquals(1, config.rounds());
    }

    @Test
    void threadsMustBeAPositiveWholeNumber() {
        assertEquals(1, WorkloadConfig.parseThreads("1"));
        assertEquals(WorkloadConfig.MAX_THREADS, WorkloadConfig.parseThreads("1024"));
        assertRejected("THREADS", "0", WorkloadConfig::parseThreads);
        assertRejected("THREADS", "-2", WorkloadConfig::parseThreads);
        assertRejected("THREADS", "2-8", WorkloadConfig::parseThreads);
        assertRejected("THREADS", "1025", WorkloadConfig::parseThreads);
    }

    @Test
    void batchSizeZeroMeansSingleAppendsAndCapsAtTwoThousand() {
        assertEquals(0, WorkloadConfig.parseBatchSize("0"));
        assertEquals(2000, WorkloadConfig.parseBatchSize("2000"));
        assertRejected("WALRUS_BATCH_SIZE", "2001", WorkloadConfig::parseBatchSize);
        assertRejected("WALRUS_BATCH_SIZE", "-1", WorkloadConfig::parseBatchSize);
        assertRejected("WALRUS_BATCH_SIZE", "many", WorkloadConfig::parseBatchSize);
    }

    @Test
    void roundsMustBeAPositiveWholeNumber() {
        assertEquals(1, WorkloadConfig.parseRounds("1"));
        assertEquals(4, WorkloadConfig.parseRounds(" 4 "));
        assertEquals(WorkloadConfig.MAX_ROUNDS, WorkloadConfig.parseRounds("100"));
        assertRejected("BENCH_ROUNDS", "0", WorkloadConfig::parseRounds);
        assertRejected("BENCH_ROUNDS", "-1", WorkloadConfig::parseRounds);
        assertRejected("BENCH_ROUNDS", "1.5", WorkloadConfig::parseRounds);
        assertRejected("BENCH_ROUNDS", "two", WorkloadConfig::parseRounds);
        assertRejected("BENCH_ROUNDS", "101", WorkloadConfig::parseRounds);
    }

    @Test
    void badRoundsNameTheVariableAndTheValue() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> WorkloadConfig.fromEnvironment(Map.of("BENCH_ROUNDS", "0")));
        assertEquals("BENCH_ROUNDS=\"0\" is not valid: expected a whole number from 1 to 100", e.getMessage());
    }

    @Test
    void backendIsFdOrMmapInAnyCase() {
        assertEquals(StorageBackend.FD, WorkloadConfig.parseBackend("FD"));
        assertEquals(StorageBackend.MMAP, WorkloadConfig.parseBackend("Mmap"));
        assertRejected("BACKEND", "io_uring", WorkloadConfig::parseBackend);
    }

    @Test
    void firstBadVariableIsTheOneReported() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> WorkloadConfig.fromEnvironment(Map.of("THREADS", "lots")));
        assertEquals("THREADS=\"lots\" is not valid: expected a whole number from 1 to 1024", e.getMessage());
    }

    @Test
    void descriptionNamesEverySetting() {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(Map.of(
                "FSYNC", "none", "THREADS", "1", "WALRUS_DURATION", "1500ms", "WALRUS_BATCH_SIZE", "64"));

        assertEquals("1 writer thread, 1500ms, fsync no-fsync, batches of 64, backend fd, data in bench_data",
                config.describe());
    }

    @Test
    void descriptionNamesRoundsOnlyWhenThereAreSeveral() {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(Map.of("FSYNC", "none", "BENCH_ROUNDS", "2"));

        assertEquals("2 writer threads, 10s, fsync no-fsync, single appends, backend fd, data in bench_data, 2 rounds",
                config.describe());
    }

    private static void assertRejected(String variable, String value, Function<String, ?> parser) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> parser.apply(value));
        assertEquals(variable, e.variable());
        assertTrue(e.getMessage().startsWith(variable + "=\"" + value + "\" is not valid: expected "), e.getMessage());
    }
}
