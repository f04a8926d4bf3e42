package io.walrus.bench.readcompare;

import io.walrus.StorageBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.walrus.bench.readcompare.ReadTableTest.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadGoalsTest {

    @Test
    void eachBackendHasTheBatchTheColdAndTheAllocationGoals() {
        List<ReadGoals.Goal> goals = ReadGoals.on(List.of(StorageBackend.FD));

        assertEquals(List.of("walrus-fd-visit >= 1.50x chronicle entries/s (page cache)",
                        "walrus-fd-visit >= 90% of filechannel MB/s (cold)",
                        "walrus-fd-visit allocates <= 1 B/entry (page-cache)",
                        "walrus-fd-next allocates <= 1 B/read beyond the entry (page-cache)",
                        "walrus-fd-next allocates <= 1 B/read beyond the entry (cold)"),
                goals.stream().map(ReadGoals.Goal::text).toList());
    }

    @Test
    void goalsAreMetMissedOrNotMeasured() {
        ReadTable table = ReadTableTest.table();
        table.add(CacheState.PAGE_CACHE, "walrus-fd-next", result(1_000, 800_000, 816_500, 816_000));
        table.add(CacheState.PAGE_CACHE, "walrus-fd-visit", result(3_000, 2_400_000, 0, 0));
        table.add(CacheState.PAGE_CACHE, "chronicle", result(1_000, 800_000, 0, 0));
        table.add(CacheState.COLD, "walrus-fd-next", result(1_000, 800_000, 840_000, 816_000));
        table.add(CacheState.COLD, "walrus-fd-visit", result(800, 640_000, 0, 0));
        table.add(CacheState.COLD, "filechannel", result(1_000, 800_000, 0, 0));
        List<String> lines = ReadGoals.on(List.of(StorageBackend.FD)).stream().map(goal -> goal.line(table)).toList();

        assertEquals(line("walrus-fd-visit >= 1.50x chronicle entries/s (page cache)", "3.00x", "met"), lines.get(0));
        assertEquals(line("walrus-fd-visit >= 90% of filechannel MB/s (cold)", "0.80x", "MISSED"), lines.get(1));
        assertEquals(line("walrus-fd-visit allocates <= 1 B/entry (page-cache)", "0.00 B", "met"), lines.get(2));
        assertEquals(line("walrus-fd-next allocates <= 1 B/read beyond the entry (page-cache)", "0.50 B", "met"),
                lines.get(3));
        assertEquals(line("walrus-fd-next allocates <= 1 B/read beyond the entry (cold)", "24.00 B", "MISSED"),
                lines.get(4));

        ReadTable empty = ReadTableTest.table();
        assertEquals(String.format("%-68s  not measured (a row is missing or failed)",
                "walrus-fd-visit >= 1.50x chronicle entries/s (page cache)"),
                ReadGoals.on(List.of(StorageBackend.FD)).getFirst().line(empty));
    }

    /** A goal's line: its text in a column, the figure, the verdict. */
    private static String line(String text, String figure, String verdict) {
        return String.format("%-68s %9s  %s", text, figure, verdict);
    }
}
