package io.walrus.bench.readcompare;

import io.walrus.bench.report.CsvFile;
import io.walrus.bench.chart.ReadsChart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench-reads}' result: for each cache state a row per way of reading, the first row (Walrus's
 * {@code readNext} on the configured backend) the one every ratio is taken to, and the heap bytes
 * each entry cost the reading thread, in all and beyond what the read hands out.
 */
final class ReadTable {
    static final String CSV_HEADER = "cache,target,status,entries,reads,entries_per_second,bytes_per_second,"
            + "entries_vs_ref,mb_vs_ref,allocated_bytes_per_entry,extra_bytes_per_entry,what";

    private final Map<CacheState, Map<String, Row>> sections = new LinkedHashMap<>();

    ReadTable(List<ReadContenders.Row> rows) {
        for (CacheState cache : CacheState.values()) {
            Map<String, Row> section = new LinkedHashMap<>();
            for (ReadContenders.Row row : rows) {
                if (!(row.peek() && cache == CacheState.COLD)) {
                    section.put(row.name(), new Row(row.name(), row.describe()));
                }
            }
            sections.put(cache, section);
        }
    }

    /** Whether {@code name} is read in {@code cache} (a peek reads one entry again and again: never cold). */
    boolean has(CacheState cache, String name) {
        return sections.get(cache).containsKey(name);
    }

    void add(CacheState cache, String name, TimedRead.Result result) {
        row(cache, name).result = result;
    }

    void markFailed(CacheState cache, String name, String reason) {
        row(cache, name).status = "failed: " + reason;
    }

    Row row(CacheState cache, String name) {
        Row row = sections.get(cache).get(name);
        if (row == null) {
            throw new IllegalArgumentException("no row '" + name + "' read " + cache.label + " in this comparison");
        }
        return row;
    }

    private Row reference(CacheState cache) {
        return sections.get(cache).values().iterator().next();
    }

    List<String> lines(CacheState cache) {
        List<String> lines = new ArrayList<>();
        String versus = "/" + reference(cache).name;
        lines.add(String.format(Locale.ROOT, "%-18s %12s %9s %8s %9s %8s %8s  %s", "target (" + cache.label + ")",
                "entries/s", versus.length() > 9 ? "/ref" : versus, "MB/s", "/ref", "B/entry", "extra", "one read"));
        for (Row row : sections.get(cache).values()) {
            if (!row.ran()) {
                lines.add(String.format(Locale.ROOT, "%-18s %s", row.name, row.statusOrNotRun()));
                continue;
            }
            lines.add(String.format(Locale.ROOT, "%-18s %,12.0f %8.2fx %8.1f %8.2fx %8.1f %8.1f  %s", row.name,
                    row.entriesPerSecond(), entriesRatio(cache, row), row.megabytesPerSecond(),
                    megabytesRatio(cache, row), row.allocatedPerEntry(), row.extraPerEntry(), row.describe));
        }
        return lines;
    }

    void print(PrintStream out) {
        for (CacheState cache : CacheState.values()) {
            out.println("== reads, " + cache.label + " ==");
            lines(cache).forEach(out::println);
        }
        out.println("/ref: the row's figure over " + reference(CacheState.PAGE_CACHE).name + "'s in the same cache"
                + " state; B/entry: heap bytes the reading thread allocated per entry; extra: of those, beyond"
                + " what the read returned (Optional, Entry, byte[]; a list), below 0 where the JIT removed"
                + " the Optional");
    }

    double entriesRatio(CacheState cache, Row row) {
        return row.entriesPerSecond() / reference(cache).entriesPerSecond();
    }

    double megabytesRatio(CacheState cache, Row row) {
        return row.megabytesPerSecond() / reference(cache).megabytesPerSecond();
    }

    /** Writes {@code <directory>/<stem>.csv} and returns its path. */
    Path writeCsv(Path directory, String stem) throws IOException {
        List<String> lines = new ArrayList<>();
        for (CacheState cache : CacheState.values()) {
            for (Row row : sections.get(cache).values()) {
                lines.add(csvLine(cache, row));
            }
        }
        return CsvFile.write(directory, stem, CSV_HEADER, lines);
    }

    String csvLine(CacheState cache, Row row) {
        if (!row.ran()) {
            return cache.label + "," + row.name + "," + quote(row.statusOrNotRun()) + ",,,,,,,,," + quote(row.describe);
        }
        TimedRead.Result r = row.result;
        return String.format(Locale.ROOT, "%s,%s,ok,%d,%d,%.0f,%.0f,%.3f,%.3f,%.1f,%.2f,%s", cache.label, row.name,
                r.entries(), r.calls(), row.entriesPerSecond(), row.megabytesPerSecond() * 1e6,
                entriesRatio(cache, row), megabytesRatio(cache, row), row.allocatedPerEntry(), row.extraPerEntry(),
                quote(row.describe));
    }

    /** Every row that ran, for the chart: MB/s from the page cache and cold (0 where not read so). */
    List<ReadsChart.Bar> bars() {
        List<ReadsChart.Bar> bars = new ArrayList<>();
        for (Row row : sections.get(CacheState.PAGE_CACHE).values()) {
            Row cold = sections.get(CacheState.COLD).get(row.name);
            double warm = row.ran() ? row.megabytesPerSecond() : 0;
            double fromDisk = cold != null && cold.ran() ? cold.megabytesPerSecond() : 0;
            if (warm > 0 || fromDisk > 0) {
                bars.add(new ReadsChart.Bar(row.name, warm, fromDisk));
            }
        }
        return bars;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** One row's figures, or why it has none. */
    static final class Row {
        final String name;
        final String describe;
        private TimedRead.Result result;
        private String status;

        Row(String name, String describe) {
            this.name = name;
            this.describe = describe;
        }

        boolean ran() {
            return status == null && result != null && result.entries() > 0;
        }

        String statusOrNotRun() {
            return status == null ? "not run" : status;
        }

        double entriesPerSecond() {
            return result.entries() / seconds();
        }

        double megabytesPerSecond() {
            return result.bytes() / seconds() / 1e6;
        }

        double allocatedPerEntry() {
            return (double) result.allocatedBytes() / result.entries();
        }

        /** Allocated beyond what the reads returned, per entry. */
        double extraPerEntry() {
            return (double) (result.allocatedBytes() - result.returnedBytes()) / result.entries();
        }

        private double seconds() {
            return Math.max(result.elapsedNanos(), 1) / 1e9;
        }
    }
}
