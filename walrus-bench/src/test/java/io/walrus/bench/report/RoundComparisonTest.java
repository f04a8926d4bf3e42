package io.walrus.bench.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundComparisonTest {

    @Test
    void oneRoundPrintsTheSingleLineItAlwaysHas() {
        RoundComparison comparison = new RoundComparison();
        comparison.add(phase("walrus", 930, 1.0), phase("filechannel", 1000, 1.0), true);

        assertEquals(List.of("walrus/filechannel = 0.93x writes/s"), printed(comparison));
    }

    @Test
    void severalRoundsPrintEachRoundThenTheRatioOfTheSums() {
        RoundComparison comparison = new RoundComparison();
        comparison.add(phase("walrus", 600, 1.0), phase("filechannel", 1000, 1.0), true);
        comparison.add(phase("walrus", 900, 1.0), phase("filechannel", 1000, 1.0), false);

        assertEquals(List.of(
                "round 1 (walrus first): walrus/filechannel = 0.60x writes/s",
                "round 2 (filechannel first): walrus/filechannel = 0.90x writes/s",
                "walrus/filechannel = 0.75x writes/s over 2 rounds: 1,500 vs 2,000 writes in 2.00 s vs 2.00 s"
                        + " (rounds 0.60x to 0.90x)"),
                printed(comparison));
    }

    @Test
    void theOverallRatioWeighsEachPhaseByTheTimeItRan() {
        RoundComparison comparison = new RoundComparison();
        // Same rate in both rounds; the second walrus phase just ran twice as long.
        comparison.add(phase("walrus", 500, 1.0), phase("filechannel", 1000, 1.0), true);
        comparison.add(phase("walrus", 1000, 2.0), phase("filechannel", 1000, 1.0), false);

        assertEquals("walrus/filechannel = 0.50x writes/s over 2 rounds: 1,500 vs 2,000 writes in 3.00 s vs 2.00 s"
                + " (rounds 0.50x to 0.50x)", comparison.overall());
    }

    private static PhaseSummary phase(String label, long writes, double seconds) {
        return new PhaseSummary(label, writes, writes * 700, (long) (seconds * 1e9), new LatencyHistogram(),
                "append", 0, Path.of("bench_results", label + ".csv"));
    }

    private static List<String> printed(RoundComparison comparison) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        comparison.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
