package io.walrus.bench.readcompare;

import io.walrus.StorageBackend;
import io.walrus.bench.chart.PngFiles;
import io.walrus.bench.chart.ReadsChart;
import io.walrus.bench.compare.ComparisonFailures;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench-reads}: the same entries ({@code READ_ENTRIES} per topic, one topic per thread, the
 * write benchmarks' payloads) written into Walrus on both backends and into each peer, then read
 * back by every row, from the page cache and again after evicting the files (cold), one row after
 * another in one JVM; then tables of ratios to Walrus, the goals, a CSV and a chart.
 * {@code WALRUS_DURATION} bounds each timed read.
 */
public final class ReadComparison {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final String benchmark;
    private final WorkloadConfig config;
    private final long entries;
    private final List<ReadContenders.DataSet> dataSets;
    private final PrintStream out;

    private ReadComparison(String benchmark, WorkloadConfig config, long entries,
                           List<ReadContenders.DataSet> dataSets, PrintStream out) {
        this.benchmark = benchmark;
        this.config = config;
        this.entries = entries;
        this.dataSets = dataSets;
        this.out = out;
    }

    /** The comparison {@code environment} asks for ({@code PEERS}, {@code READ_ENTRIES} and the common settings). */
    public static ReadComparison fromEnvironment(String benchmark, Map<String, String> environment, PrintStream out) {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(environment);
        return new ReadComparison(benchmark, config, ReadEntries.parse(environment.get(ReadEntries.VARIABLE)),
                ReadContenders.chosen(config, environment.get(ReadContenders.PEERS_VARIABLE)), out);
    }

    /** The comparison of every peer on {@code config}, with the default entries per topic. */
    public static ReadComparison of(String benchmark, WorkloadConfig config, PrintStream out) {
        return new ReadComparison(benchmark, config, ReadEntries.DEFAULT, ReadContenders.chosen(config, null), out);
    }

    public void run() throws IOException {
        out.println(benchmark + ": " + config.describe() + ", " + String.format(Locale.ROOT, "%,d", entries)
                + " entries per topic");
        List<ReadContenders.Row> rows = new ArrayList<>();
        dataSets.forEach(set -> rows.addAll(set.rows()));
        ReadTable table = new ReadTable(rows);
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        FillPhase fill = new FillPhase(config.threads(), entries, out);
        for (ReadContenders.DataSet set : dataSets) {
            runDataSet(set, fill, settler, table);
        }
        table.print(out);
        out.println("== goals ==");
        List<StorageBackend> backends = dataSets.stream().map(ReadContenders.DataSet::name)
                .filter(name -> name.startsWith("walrus-"))
                .map(name -> StorageBackend.valueOf(name.substring("walrus-".length()).toUpperCase(Locale.ROOT)))
                .toList();
        for (ReadGoals.Goal goal : ReadGoals.on(backends)) {
            out.println(goal.line(table));
        }
        String stem = benchmark + "-" + config.threads() + "t-" + LocalDateTime.now().format(FILE_TIME);
        Path csv = table.writeCsv(CsvProgressLog.RESULTS_DIR, stem);
        out.println("csv: " + csv);
        try {
            out.println("chart: " + ReadsChart.write(PngFiles.besideCsv(csv), String.format(Locale.ROOT,
                    "reads: MB/s, %s, %,d entries per topic", config.describeThreads(), entries), table.bars()));
        } catch (IOException | RuntimeException | LinkageError notDrawn) {
            out.println("chart: not drawn (" + notDrawn + ")");
        }
    }

    /**
     * Fills one data set, then reads it row by row, from the page cache first, then cold. Walrus
     * failing ends the comparison; a peer failing only takes its rows out.
     */
    private void runDataSet(ReadContenders.DataSet set, FillPhase fill, PageCacheSettler settler, ReadTable table)
            throws IOException {
        boolean reference = set.name().startsWith("walrus-");
        out.println("== " + set.name() + " ==");
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), benchmark + "-" + set.name())) {
            try {
                fill.fill(set.name(), scratch.path(), set.writer());
            } catch (IOException | RuntimeException | LinkageError failed) {
                if (reference) {
                    throw failed;
                }
                String reason = ComparisonFailures.reason(failed);
                out.println("[" + set.name() + "] unavailable: " + reason);
                for (ReadContenders.Row row : set.rows()) {
                    for (CacheState cache : CacheState.values()) {
                        if (table.has(cache, row.name())) {
                            table.markFailed(cache, row.name(), "unavailable: " + reason);
                        }
                    }
                }
                return;
            }
            out.println("[" + set.name() + "] " + settler.settle().describe());
            for (CacheState cache : CacheState.values()) {
                for (ReadContenders.Row row : set.rows()) {
                    if (table.has(cache, row.name())) {
                        readOne(scratch.path(), row, cache, table, reference);
                    }
                }
            }
        }
    }

    private void readOne(Path directory, ReadContenders.Row row, CacheState cache, ReadTable table,
                         boolean reference) throws IOException {
        String label = row.name() + ", " + cache.label;
        try {
            if (cache == CacheState.PAGE_CACHE) {
                warmUp(directory, row);
            }
            timedRead(directory, row, cache, table, label);
        } catch (IOException | RuntimeException | LinkageError failed) {
            if (reference) {
                throw failed;
            }
            String reason = ComparisonFailures.reason(failed);
            out.println("[" + label + "] failed: " + reason);
            failed.printStackTrace(out);
            table.markFailed(cache, row.name(), reason);
        }
    }

    /**
     * One untimed pass over the data before a row's first timed read, so the JIT has compiled the
     * row's read path (the first row would otherwise pay for it alone) and the files are cached.
     */
    private void warmUp(Path directory, ReadContenders.Row row) throws IOException {
        try (ReadTarget target = row.opener().open(directory)) {
            TimedRead.Result result = TimedRead.run(row.name(), target, config.threads(),
                    row.peek() ? entries : Long.MAX_VALUE, config.duration().toNanos());
            out.println(describe(row.name() + ", warm-up", result));
        }
    }

    private void timedRead(Path directory, ReadContenders.Row row, CacheState cache, ReadTable table, String label)
            throws IOException {
        try (ReadTarget target = row.opener().open(directory)) {
            if (cache == CacheState.COLD) {
                long evicted = ColdCache.evict(directory);
                out.println(String.format(Locale.ROOT, "[%s] evicted %.1f MB of files from the page cache", label,
                        evicted / 1e6));
            }
            TimedRead.Result result = TimedRead.run(row.name(), target, config.threads(),
                    row.peek() ? entries : Long.MAX_VALUE, config.duration().toNanos());
            out.println(describe(label, result));
            if (!row.peek() && result.drained() && result.entries() != entries * config.threads()) {
                throw new IOException("read back " + result.entries() + " entries of " + entries * config.threads());
            }
            table.add(cache, row.name(), result);
        }
    }

    /** The progress line a timed read ends with. */
    static String describe(String label, TimedRead.Result result) {
        double seconds = Math.max(result.elapsedNanos(), 1) / 1e9;
        return String.format(Locale.ROOT, "[%s] %,d entries in %,d reads, %.2f s: %,.0f entries/s, %.1f MB/s, "
                        + "%.1f B allocated per entry%s", label, result.entries(), result.calls(), seconds,
                result.entries() / seconds, result.bytes() / seconds / 1e6,
                (double) result.allocatedBytes() / Math.max(result.entries(), 1),
                result.drained() ? "" : " (stopped at the deadline)");
    }
}
