package io.walrus.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThroughputChartTest {
    private static final String HEADER =
            "timestamp,elapsed_seconds,reads_per_second,bytes_per_second,total_reads,total_bytes,dirty_pages_kb";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void theOperationComesFromTheRateColumnsName() {
        assertEquals("reads", ThroughputChart.operationOf(HEADER));
        assertThrows(IllegalArgumentException.class, () -> ThroughputChart.operationOf("a,b"));
    }

    @Test
    void aRowCutShortByAnInterruptedRunIsSkipped() {
        List<ThroughputChart.Point> points = ThroughputChart.points(List.of(HEADER,
                "1.000,1.001,5000,4000000,5000,4000000,12",
                "2.000,2.0"));

        assertEquals(List.of(new ThroughputChart.Point(1.001, 5000)), points);
    }

    @Test
    void thePngLandsBesideTheCsv(@TempDir Path directory) throws IOException {
        Path csv = directory.resolve("reads-walrus-1.csv");
        Files.write(csv, List.of(HEADER, "1.000,1.0,5000,4000000,5000,4000000,12", "2.000,2.0,6000,4800000,11000,8800000,"));

        Path png = ThroughputChart.writeBeside(csv, "reads");

        assertEquals(directory.resolve("reads-walrus-1.png"), png);
        byte[] start = new byte[PNG_SIGNATURE.length];
        System.arraycopy(Files.readAllBytes(png), 0, start, 0, start.length);
        assertArrayEquals(PNG_SIGNATURE, start);
    }
}
