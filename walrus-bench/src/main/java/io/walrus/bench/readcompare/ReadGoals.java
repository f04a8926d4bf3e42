package io.walrus.bench.readcompare;

import io.walrus.StorageBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Walrus's reads set out to reach (issue 16), checked on each backend: batch reads at least
 * 1.5x Chronicle's tailer from the page cache (entries/s), at least 90 % of the plain FileChannel
 * loop's bandwidth from a cold cache, and single reads that allocate nothing beyond the entry they
 * return (at most {@link #ALLOCATION_SLACK_BYTES} a read on average: a cursor save every few thousand
 * reads may allocate a little).
 *
 * <p>The batch goals are judged on Walrus's best batch read, the zero-copy one
 * ({@code visitBatchForTopic}, the {@code -visit} rows), whose reader copies each payload into a
 * reused array as Chronicle's does; it must also allocate nothing per entry. The copying
 * {@code batchReadForTopic} rows stay in the table beside it.
 */
final class ReadGoals {
    static final double BATCH_OVER_CHRONICLE = 1.5;
    static final double COLD_SHARE_OF_FILECHANNEL = 0.9;
    static final double ALLOCATION_SLACK_BYTES = 1.0;

    /** How a goal's figure is taken from the table. */
    enum Measure {
        /** The row's entries/s over the other row's; at least the bound. */
        ENTRIES_RATIO,
        /** The row's MB/s over the other row's; at least the bound. */
        BANDWIDTH_RATIO,
        /** The row's heap bytes per entry beyond the returned entry; at most the bound. */
        EXTRA_BYTES
    }

    /** One goal: {@code row} against {@code versus} (or alone) in {@code cache}. */
    record Goal(String text, CacheState cache, String row, String versus, Measure measure, double bound) {

        /** {@code walrus-fd-batch >= 1.50x chronicle (page cache)   2.31x  met}, or why it is not measured. */
        String line(ReadTable table) {
            String head = String.format(Locale.ROOT, "%-68s", text);
            if (!measurable(table)) {
                return head + "  not measured (a row is missing or failed)";
            }
            double value = value(table);
            String figure = measure == Measure.EXTRA_BYTES
                    ? String.format(Locale.ROOT, "%.2f B", value)
                    : String.format(Locale.ROOT, "%.2fx", value);
            return head + String.format(Locale.ROOT, " %9s  %s", figure, met(table) ? "met" : "MISSED");
        }

        boolean measurable(ReadTable table) {
            return ran(table, row) && (versus == null || ran(table, versus));
        }

        double value(ReadTable table) {
            ReadTable.Row mine = table.row(cache, row);
            return switch (measure) {
                case ENTRIES_RATIO -> mine.entriesPerSecond() / table.row(cache, versus).entriesPerSecond();
                case BANDWIDTH_RATIO -> mine.megabytesPerSecond() / table.row(cache, versus).megabytesPerSecond();
                case EXTRA_BYTES -> mine.extraPerEntry();
            };
        }

        boolean met(ReadTable table) {
            double value = value(table);
            return measure == Measure.EXTRA_BYTES ? value <= bound : value >= bound;
        }

        private boolean ran(ReadTable table, String name) {
            return table.has(cache, name) && table.row(cache, name).ran();
        }
    }

    private ReadGoals() {
    }

    /** The goals on {@code backends}, in that order. */
    static List<Goal> on(List<StorageBackend> backends) {
        List<Goal> goals = new ArrayList<>();
        for (StorageBackend backend : backends) {
            String batch = ReadContenders.walrusRow(backend, WalrusReadTarget.Mode.VISIT);
            String next = ReadContenders.walrusRow(backend, WalrusReadTarget.Mode.NEXT);
            goals.add(new Goal(String.format(Locale.ROOT, "%s >= %.2fx %s entries/s (page cache)", batch,
                    BATCH_OVER_CHRONICLE, ReadContenders.CHRONICLE), CacheState.PAGE_CACHE, batch,
                    ReadContenders.CHRONICLE, Measure.ENTRIES_RATIO, BATCH_OVER_CHRONICLE));
            goals.add(new Goal(String.format(Locale.ROOT, "%s >= %.0f%% of %s MB/s (cold)", batch,
                    COLD_SHARE_OF_FILECHANNEL * 100, ReadContenders.FILECHANNEL), CacheState.COLD, batch,
                    ReadContenders.FILECHANNEL, Measure.BANDWIDTH_RATIO, COLD_SHARE_OF_FILECHANNEL));
            goals.add(new Goal(String.format(Locale.ROOT, "%s allocates <= %.0f B/entry (page-cache)", batch,
                    ALLOCATION_SLACK_BYTES), CacheState.PAGE_CACHE, batch, null, Measure.EXTRA_BYTES,
                    ALLOCATION_SLACK_BYTES));
            for (CacheState cache : CacheState.values()) {
                goals.add(new Goal(String.format(Locale.ROOT, "%s allocates <= %.0f B/read beyond the entry (%s)",
                        next, ALLOCATION_SLACK_BYTES, cache.label), cache, next, null, Measure.EXTRA_BYTES,
                        ALLOCATION_SLACK_BYTES));
            }
        }
        return goals;
    }
}
