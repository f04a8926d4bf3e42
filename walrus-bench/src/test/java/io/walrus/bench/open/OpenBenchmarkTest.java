package io.walrus.bench.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.bench.config.InvalidSettingException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void aSmallLogIsOpenedUnconsumedWithoutRecordsAndMostlyConsumed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new OpenBenchmark().run(Map.of("OPEN_SIZES", "0.02", "OPEN_TOPICS", "2", "WALRUS_DATA_DIR", dir.toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("unconsumed:     open"), output);
        assertTrue(output.contains("without seal records"), output);
        assertTrue(output.contains("mostly consumed: open"), output);
    }

    @Test
    void sizesAndTopicsAreCheckedAndNamed() {
        assertEquals(List.of(1.0, 10.0), OpenBenchmark.parseSizes(null));
        assertEquals(List.of(0.5), OpenBenchmark.parseSizes("0.5"));
        assertEquals("OPEN_SIZES", assertThrows(InvalidSettingException.class, () -> OpenBenchmark.parseSizes("1,x")).variable());
        assertEquals("OPEN_TOPICS", assertThrows(InvalidSettingException.class, () -> OpenBenchmark.parseTopics("0")).variable());
    }
}
