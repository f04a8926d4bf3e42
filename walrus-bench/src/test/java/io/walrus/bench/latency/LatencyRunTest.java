package io.walrus.bench.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.bench.config.WorkloadConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A phase receives every timestamp it sent, and records one latency for each. */
class LatencyRunTest {
    private static final LatencyRun SHORT = new LatencyRun(Duration.ofMillis(50), Duration.ofMillis(200),
            TimeUnit.MICROSECONDS.toNanos(LatencyBenchmark.INTERVAL_MICROS));

    @TempDir
    Path dir;

    @Test
    void queueHandOffReceivesAndRecordsEverythingSent() throws Exception {
        try (QueueHandOff handOff = new QueueHandOff()) {
            assertEverythingRecorded(SHORT.run(handOff));
        }
    }

    @Test
    void walrusHandOffReceivesAndRecordsEverythingSent() throws Exception {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(Map.of("FSYNC", "no-fsync"));
        try (WalrusHandOff handOff = WalrusHandOff.open(dir, config)) {
            assertEverythingRecorded(SHORT.run(handOff));
        }
    }

    private static void assertEverythingRecorded(LatencyRun.Result result) {
        assertTrue(result.sent() > 0, "something was sent");
        assertEquals(result.sent(), result.received(), result.name() + ": received");
        assertEquals(result.sent(), result.latencies().count(), result.name() + ": latencies recorded");
    }
}
