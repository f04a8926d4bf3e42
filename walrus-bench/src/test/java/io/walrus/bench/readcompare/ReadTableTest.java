package io.walrus.bench.readcompare;

import io.walrus.StorageBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadTableTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyRowIsARatioToTheFirstOfItsCacheState() {
        ReadTable table = table();
        table.add(CacheState.PAGE_CACHE, "walrus-fd-next", result(1_000_000, 800_000_000, 816_000_000, 816_000_000));
        table.add(CacheState.PAGE_CACHE, "chronicle", result(2_000_000, 1_600_000_000, 0, 0));

        List<String> lines = table.lines(CacheState.PAGE_CACHE);

        assertEquals("walrus-fd-next        1,000,000     1.00x    800.0     1.00x    816.0      0.0  readNext, checkpoint",
                lines.get(1));
        assertEquals("chronicle             2,000,000     2.00x   1600.0     2.00x      0.0      0.0  tailer", lines.get(2));
        assertEquals("walrus-fd-peek     not run", lines.get(3) .substring(0, 26));
    }

    @Test
    void aPeekIsNeverReadCold() {
        ReadTable table = table();
        assertTrue(table.has(CacheState.PAGE_CACHE, "walrus-fd-peek"));
        assertFalse(table.has(CacheState.COLD, "walrus-fd-peek"));
    }

    @Test
    void aFailedRowShowsWhyAndHasNoBars() {
        ReadTable table = table();
        table.add(CacheState.PAGE_CACHE, "walrus-fd-next", result(1_000, 800_000, 840_000, 816_000));
        table.add(CacheState.COLD, "walrus-fd-next", result(500, 400_000, 420_000, 408_000));
        table.markFailed(CacheState.PAGE_CACHE, "chronicle", "NoClassDefFoundError: x");

        assertEquals("chronicle          failed: NoClassDefFoundError: x", table.lines(CacheState.PAGE_CACHE).get(2));
        assertEquals("cold,walrus-fd-next,ok,500,500,500,400000,1.000,1.000,840.0,24.00,\"readNext, checkpoint\"",
                table.csvLine(CacheState.COLD, table.row(CacheState.COLD, "walrus-fd-next")));
        assertEquals(List.of("walrus-fd-next"), table.bars().stream().map(bar -> bar.target()).toList());
        assertEquals(0.4, table.bars().getFirst().coldMegabytes(), 1e-9);
    }

    static ReadTable table() {
        return new ReadTable(List.of(
                new ReadContenders.Row(ReadContenders.walrusRow(StorageBackend.FD, WalrusReadTarget.Mode.NEXT),
                        "readNext, checkpoint", directory -> null, false),
                new ReadContenders.Row("chronicle", "tailer", directory -> null, false),
                new ReadContenders.Row(ReadContenders.walrusRow(StorageBackend.FD, WalrusReadTarget.Mode.PEEK),
                        "readNext, peek", directory -> null, true),
                new ReadContenders.Row("filechannel", "pread", directory -> null, false),
                new ReadContenders.Row(ReadContenders.walrusRow(StorageBackend.FD, WalrusReadTarget.Mode.BATCH),
                        "batch", directory -> null, false),
                new ReadContenders.Row(ReadContenders.walrusRow(StorageBackend.FD, WalrusReadTarget.Mode.VISIT),
                        "visit", directory -> null, false)));
    }

    /** One second of reading: {@code entries} in as many reads. */
    static TimedRead.Result result(long entries, long bytes, long allocated, long returned) {
        return new TimedRead.Result(entries, entries, bytes, SECOND, allocated, returned, true);
    }
}
