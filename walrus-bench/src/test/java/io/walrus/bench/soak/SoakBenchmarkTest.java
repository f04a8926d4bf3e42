package io.walrus.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.bench.config.InvalidSettingException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void aShortSoakReportsEachIntervalAndConsumesInOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> environment = Map.of("WALRUS_DURATION", "2s", "WALRUS_DATA_DIR", dir.toString(),
                "FSYNC", "no-fsync", "SOAK_TOPICS", "10", "SOAK_RATE", "2000", "SOAK_REPORT_SECONDS", "1");
        new SoakBenchmark(environment).run(environment, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("soak: 10 topics, 2,000 entries/s"), output);
        assertEquals(2, output.lines().filter(line -> line.matches("\\s+\\d+s .*")).count(), output);
        assertTrue(output.contains("second half: data files"), output);
    }

    @Test
    void badSettingsAreNamed() {
        InvalidSettingException bad = assertThrows(InvalidSettingException.class,
                () -> SoakSettings.fromEnvironment(Map.of("SOAK_TOPICS", "0")));
        assertEquals("SOAK_TOPICS", bad.variable());
        assertEquals(1_000, SoakSettings.fromEnvironment(Map.of()).topics());
    }
}
