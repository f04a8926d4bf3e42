package io.walrus.bench.groupcommit;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.config.RunDuration;
import io.walrus.bench.config.ThreadSweep;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.target.WriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code group-commit}: what sync-each costs and how it scales. A plain FileChannel loop (write, then
 * fdatasync, one writer) sets the price of one durable append on this disk; Walrus under
 * {@code syncEach()} then runs with 1, 2, 4, ... writers (THREADS, default 16), each on its own
 * topic, sharing flushes through group commit.
 *
 * <p>A shared machine's disk drifts by more than the differences measured here, so the loop and the
 * sweep run in {@code BENCH_ROUNDS} rounds (default 2), in opposite order each round, and each row
 * sums its rounds. The appends-per-fsync column comes from Walrus's own counters and does not
 * depend on the disk's speed: it says how well flushes are shared whatever the disk did. Last, one
 * writer against the loop again, in alternating half-second slices ({@link AlternatingSingleWriter}),
 * the comparison least moved by drift.
 */
public final class GroupCommitBenchmark implements Benchmark {
    static final String DEFAULT_THREADS = "16";
    static final String DEFAULT_DURATION = "5s";
    static final String DEFAULT_ROUNDS = "2";

    @Override
    public String name() {
        return "group-commit";
    }

    @Override
    public String summary() {
        return "sync-each appends over 1..N writers (THREADS, default 16) beside a one-writer write+fdatasync loop";
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        Map<String, String> common = new HashMap<>(environment);
        List<Integer> counts = ThreadSweep.parse(common.getOrDefault(WorkloadConfig.THREADS, DEFAULT_THREADS));
        common.remove(WorkloadConfig.THREADS);
        String fsync = common.get(FsyncMode.VARIABLE);
        if (fsync != null && !fsync.isBlank() && !fsync.equals("sync-each")) {
            out.println("group-commit: measures sync-each only; FSYNC=" + fsync + " is ignored");
        }
        common.put(FsyncMode.VARIABLE, "sync-each");
        common.putIfAbsent(RunDuration.VARIABLE, DEFAULT_DURATION);
        common.putIfAbsent(WorkloadConfig.ROUNDS, DEFAULT_ROUNDS);
        sweep(WorkloadConfig.fromEnvironment(common), counts, out);
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        sweep(config, ThreadSweep.parse(Integer.toString(config.threads())), out);
    }

    private void sweep(WorkloadConfig config, List<Integer> counts, PrintStream out) throws IOException {
        WorkloadConfig oneWriter = config.sweepPoint(1);
        out.println("group-commit: sync-each, writers " + counts + ", " + config.rounds() + " rounds; each point: "
                + oneWriter.describe().replaceFirst("^1 writer thread, ", ""));
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        GroupCommitTable table = new GroupCommitTable();
        for (int round = 1; round <= config.rounds(); round++) {
            List<Integer> order = new ArrayList<>(counts);
            order.addFirst(GroupCommitTable.LOOP);
            if (round % 2 == 0) {
                order = order.reversed();
            }
            for (int threads : order) {
                if (threads == GroupCommitTable.LOOP) {
                    WritePhase phase = new WritePhase(name(), oneWriter, settler, out).withWarmUp();
                    table.addLoop(phase.run("fdatasync-loop-round" + round, 1,
                            directory -> FileChannelWriteTarget.open(directory, oneWriter.fsync())));
                } else {
                    WorkloadConfig point = config.sweepPoint(threads);
                    FsyncCounting walrus = new FsyncCounting();
                    WritePhase phase = new WritePhase(name(), point, settler, out).withWarmUp();
                    table.add(threads, phase.run("walrus-" + threads + "w-round" + round, 1,
                            directory -> walrus.open(WalrusWriteTarget.open(directory, point))), walrus.fsyncs);
                }
            }
        }
        table.print(out);
        out.println("csv: " + table.writeCsv(CsvProgressLog.RESULTS_DIR, name()));
        out.println("[alternating] " + settler.settle().describe());
        AlternatingSingleWriter.print(AlternatingSingleWriter.run(oneWriter, name()), out);
    }

    /** Reads the instance's fsync count as the phase closes it. */
    private static final class FsyncCounting {
        long fsyncs;

        WriteTarget open(WalrusWriteTarget target) {
            return new WriteTarget() {
                @Override
                public String name() {
                    return target.name();
                }

                @Override
                public Appender appender(int writerIndex) throws IOException {
                    return target.appender(writerIndex);
                }

                @Override
                public void close() throws IOException {
                    fsyncs = target.stats().fsyncs();
                    target.close();
                }
            };
        }
    }
}
