package io.walrus.bench.compare;

import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.report.PhaseSummary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTableTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyFigureIsAlsoGivenAsARatioToWalrus() {
        ComparisonTable table = table(FsyncMode.Kind.NONE, "walrus", "rocksdb");
        table.add(phase("walrus", 3_000, 3_000_000, 2_000));
        table.add(phase("rocksdb", 1_000, 1_000_000, 8_000));

        List<String> lines = table.lines();

        assertEquals("target            writes/s  /walrus      MB/s  /walrus        p99  /walrus walrus lead  goal",
                lines.get(0));
        assertEquals("walrus               3,000    1.00x       3.0    1.00x    2.00 us    1.00x           -  -",
                lines.get(1));
        assertEquals("rocksdb              1,000    0.33x       1.0    0.33x    8.00 us    4.00x       3.00x"
                + "  >= 2.00x met", lines.get(2));
    }

    @Test
    void aGoalWalrusFallsShortOfSaysMissed() {
        ComparisonTable table = table(FsyncMode.Kind.NONE, "walrus", "chronicle");
        table.add(phase("walrus", 1_200, 1_200_000, 1_000));
        table.add(phase("chronicle", 1_000, 1_000_000, 1_000));

        assertEquals(">= 1.50x MISSED", table.goalText(table.rowNamed("chronicle")));
        assertEquals("chronicle,ok,1000,1000000,1000,1000,0.833,0.833,1.000,1.200,1.50,false",
                table.csvLine(table.rowNamed("chronicle")));
    }

    @Test
    void syncEachAsksWalrusToMatchEveryLibraryPeerButNotThePlainLoops() {
        assertEquals(1.0, ComparisonGoals.leadGoal(FsyncMode.Kind.SYNC_EACH, "kafka-log").orElseThrow());
        assertTrue(ComparisonGoals.leadGoal(FsyncMode.Kind.SYNC_EACH, "filechannel").isEmpty());
        assertTrue(ComparisonGoals.leadGoal(FsyncMode.Kind.INTERVAL, "rocksdb").isEmpty());
    }

    @Test
    void anUnavailablePeerShowsItsReasonInsteadOfFigures() {
        ComparisonTable table = table(FsyncMode.Kind.NONE, "walrus", "rocksdb");
        table.add(phase("walrus", 1_000, 1_000_000, 1_000));
        table.markUnavailable("rocksdb", "UnsatisfiedLinkError: no rocksdbjni");

        assertTrue(table.isOut("rocksdb"));
        assertEquals("rocksdb      unavailable: UnsatisfiedLinkError: no rocksdbjni", table.lines().get(2));
        assertEquals("rocksdb,\"unavailable: UnsatisfiedLinkError: no rocksdbjni\",,,,,,,,,,",
                table.csvLine(table.rowNamed("rocksdb")));
        assertEquals(List.of("walrus"), table.bars().stream().map(bar -> bar.target()).toList());
    }

    @Test
    void roundsOfOneContenderAreSummedWritesOverTime() {
        ComparisonTable table = table(FsyncMode.Kind.NONE, "walrus", "kafka-log");
        table.add(phase("walrus", 1_000, 1_000_000, 1_000));
        table.add(phase("walrus", 3_000, 3_000_000, 1_000));
        table.add(phase("kafka-log", 1_000, 1_000_000, 1_000));

        assertFalse(table.isOut("walrus"));
        assertEquals(2.0, table.lead(table.rowNamed("kafka-log")), 1e-9);
    }

    @Test
    void aNameOutsideTheComparisonIsRefusedByName() {
        ComparisonTable table = table(FsyncMode.Kind.NONE, "walrus");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> table.markFailed("redis", "no"));
        assertEquals("no contender named 'redis' in this comparison", refused.getMessage());
    }

    private static ComparisonTable table(FsyncMode.Kind fsync, String... names) {
        return new ComparisonTable(fsync, List.of(names));
    }

    /** A one-second phase of {@code writes} writes whose every latency sample is {@code latencyNanos}. */
    private static PhaseSummary phase(String label, long writes, long bytes, long latencyNanos) {
        LatencyHistogram latency = new LatencyHistogram();
        latency.record(latencyNanos);
        return new PhaseSummary(label, writes, bytes, SECOND, latency, "append", 0, Path.of(label + ".csv"));
    }
}
