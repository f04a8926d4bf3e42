package io.walrus.bench.compare;

import io.walrus.bench.Benchmark;
import io.walrus.bench.chart.ComparisonChart;
import io.walrus.bench.chart.PngFiles;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code compare}: the {@code writes} workload on Walrus and on each peer (Chronicle Queue, RocksDB,
 * Kafka's log, and the plain FileChannel and MappedByteBuffer loops) one after another in one
 * process, with the same fsync mode, threads and duration, then one table of ratios to Walrus, a
 * CSV and a bar chart. A peer that cannot load or open here is reported as unavailable and the
 * others run on. {@code BENCH_ROUNDS} repeats the sequence, every other round in reverse order;
 * {@code PEERS} (e.g. {@code chronicle,mmap}) runs only those peers beside Walrus.
 */
public final class CompareBenchmark implements Benchmark {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String summary() {
        return "Walrus against Chronicle Queue, RocksDB, Kafka's log, FileChannel and mmap: ratios and a chart";
    }

    /** Reads {@code PEERS} besides the common settings. */
    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(environment);
        run(config, Contenders.chosen(config, environment.get(Contenders.PEERS_VARIABLE)), out);
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        run(config, Contenders.all(config), out);
    }

    private void run(WorkloadConfig config, List<Contender> contenders, PrintStream out) throws IOException {
        out.println("compare: " + config.describe());
        List<String> names = contenders.stream().map(Contender::name).toList();
        ComparisonTable table = new ComparisonTable(config.fsync().kind(), names);
        WritePhase phase = new WritePhase(name(), config, PageCacheSettler.forThisMachine(), out);
        for (int round = 1; round <= config.rounds(); round++) {
            for (Contender contender : inRoundOrder(contenders, round)) {
                if (!table.isOut(contender.name())) {
                    runOne(phase, round, contender, table, out);
                }
            }
        }
        table.print(out);
        String stem = name() + "-" + fileTag(config) + "-" + LocalDateTime.now().format(FILE_TIME);
        Path csv = table.writeCsv(CsvProgressLog.RESULTS_DIR, stem);
        out.println("csv: " + csv);
        try {
            out.println("chart: " + ComparisonChart.write(PngFiles.besideCsv(csv),
                    "writes/s, " + config.describeThreads() + ", fsync " + config.fsync(), table.bars()));
        } catch (IOException | RuntimeException | LinkageError notDrawn) {
            out.println("chart: not drawn (" + notDrawn + ")");
        }
    }

    /**
     * Runs one contender's phase into the table. Walrus failing ends the comparison (there is
     * nothing to compare with); a peer failing only takes that peer out.
     */
    private static void runOne(WritePhase phase, int round, Contender contender, ComparisonTable table,
                               PrintStream out) throws IOException {
        boolean reference = contender.name().equals(Contenders.WALRUS);
        try {
            PhaseSummary summary = phase.run(contender.name(), round, directory -> {
                try {
                    return contender.opener().open(directory);
                } catch (IOException | RuntimeException | LinkageError cannotOpen) {
                    throw new PeerUnavailableException(cannotOpen);
                }
            });
            table.add(summary);
        } catch (PeerUnavailableException | LinkageError unavailable) {
            if (reference) {
                throw new IOException("Walrus could not be opened", unavailable);
            }
            String reason = ComparisonFailures.reason(unavailable);
            out.println("[" + contender.name() + "] unavailable: " + reason);
            table.markUnavailable(contender.name(), reason);
        } catch (IOException | RuntimeException failed) {
            if (reference) {
                throw failed;
            }
            String reason = ComparisonFailures.reason(failed);
            out.println("[" + contender.name() + "] failed: " + reason);
            failed.printStackTrace(out);
            table.markFailed(contender.name(), reason);
        }
    }

    /** Odd rounds in the listed order, even rounds reversed, so no contender always runs first or last. */
    static List<Contender> inRoundOrder(List<Contender> contenders, int round) {
        if (round % 2 == 1) {
            return contenders;
        }
        List<Contender> reversed = new ArrayList<>(contenders);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    /** {@code no-fsync-2t}, {@code sync-each-1t}, {@code 1000ms-4t}: what sets the run apart, for file names. */
    static String fileTag(WorkloadConfig config) {
        String fsync = switch (config.fsync().kind()) {
            case NONE -> "no-fsync";
            case SYNC_EACH -> "sync-each";
            case INTERVAL -> config.fsync().intervalMillis() + "ms";
        };
        return fsync + "-" + config.threads() + "t" + (config.batched() ? "-batch" + config.batchSize() : "");
    }

}
