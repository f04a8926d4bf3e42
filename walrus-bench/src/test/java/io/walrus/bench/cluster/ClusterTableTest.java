package io.walrus.bench.cluster;

import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterTableTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyFigureIsAlsoARatioToTheWalrusClusterAndEachPeerIsJudgedOnLeadAndP99() {
        ClusterTable table = new ClusterTable(List.of("single"), List.of("embedded", "cluster", "kafka"));
        table.add("single", "embedded", phase("embedded-single", 10_000, 100_000), -1);
        table.add("single", "cluster", phase("cluster-single", 300, 10_000_000), 3_000_000);
        table.add("single", "kafka", phase("kafka-single", 1_000, 40_000_000), 1_000_000);

        List<String> lines = table.lines("single");

        assertEquals("target          writes/s  /cluster     MB/s       p50       p99  /cluster  disk B/B"
                + " walrus lead walrus p99  goal", lines.get(0));
        assertEquals("embedded          10,000    33.33x     10.0    100 us    100 us     0.01x         -"
                + "           -          -  -", lines.get(1));
        assertEquals("cluster              300     1.00x      0.3   10.0 ms   10.0 ms     1.00x     10.00"
                + "           -          -  -", lines.get(2));
        assertEquals("kafka              1,000     3.33x      1.0   40.0 ms   40.0 ms     4.00x      1.00"
                + "       0.30x      0.25x  lead >= 1.50x MISSED, p99 <= 0.50x met", lines.get(3));
    }

    @Test
    void thePeerMeetsNeitherGoalWhenTheClusterIsSlowerAndLater() {
        ClusterTable table = new ClusterTable(List.of("batch 64"), List.of("cluster", "kafka"));
        table.add("batch 64", "cluster", phase("cluster-batch-64", 1_000, 20_000_000), -1);
        table.add("batch 64", "kafka", phase("kafka-batch-64", 2_000, 10_000_000), -1);

        assertEquals("lead >= 1.50x MISSED, p99 <= 0.50x MISSED",
                table.goalText("batch 64", table.row("batch 64", "kafka")));
        assertEquals("\"batch 64\",kafka,ok,2000,2000000,10002431,10002431,2.000,0.500,,0.500,2.000,1.50,0.50,false",
                table.csvLine("batch 64", table.row("batch 64", "kafka")));
    }

    @Test
    void aPeerThatFailedShowsItsReasonAndHasNoBar() {
        ClusterTable table = new ClusterTable(List.of("single"), List.of("cluster", "kafka"));
        table.add("single", "cluster", phase("cluster-single", 300, 10_000_000), -1);
        table.markFailed("single", "kafka", "failed: IOException: broker 2 exited");

        assertEquals("kafka        failed: IOException: broker 2 exited", table.lines("single").get(2));
        assertEquals("\"single\",kafka,\"failed: IOException: broker 2 exited\",,,,,,,,,,,,",
                table.csvLine("single", table.row("single", "kafka")));
        assertEquals(List.of("cluster"), table.bars("single").stream().map(bar -> bar.target()).toList());
    }

    @Test
    void theChartLeavesTheEmbeddedWalrusOutSoTheReplicatedBarsStayReadable() {
        ClusterTable table = new ClusterTable(List.of("single"), List.of("embedded", "cluster", "kafka"));
        table.add("single", "embedded", phase("embedded-single", 10_000, 100_000), -1);
        table.add("single", "cluster", phase("cluster-single", 300, 10_000_000), -1);
        table.add("single", "kafka", phase("kafka-single", 200, 10_000_000), -1);

        assertEquals(List.of("cluster", "kafka"), table.bars("single").stream().map(bar -> bar.target()).toList());
    }

    @Test
    void aTableWithoutTheWalrusClusterIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClusterTable(List.of("single"), List.of("kafka")));
    }

    /** {@code writes} in one second, every call taking {@code nanos}, one payload byte of 1,000 per write. */
    private static PhaseSummary phase(String label, long writes, long nanos) {
        LatencyHistogram latency = new LatencyHistogram();
        for (long i = 0; i < writes; i++) {
            latency.record(nanos);
        }
        return new PhaseSummary(label, writes, writes * 1_000, SECOND, latency, "append", 0, Path.of(label + ".csv"));
    }
}
