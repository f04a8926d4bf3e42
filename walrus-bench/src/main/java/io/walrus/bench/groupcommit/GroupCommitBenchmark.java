package io.walrus.bench.groupcommit;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.config.RunDuration;
import io.walrus.bench.config.ThreadSweep;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.CsvProgressLog;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code group-commit}: what sync-each costs and how it scales. A plain FileChannel loop (write, then
 * fdatasync, one writer) sets the price of one durable append on this disk; Walrus under
 * {@code syncEach()} then runs with 1, 2, 4, ... writers (THREADS, default 16), each on its own
 * topic, sharing flushes through group commit. The loop runs before and after the sweep, and the
 * table compares against the mean of the two, so drift in a shared machine's disk shows up as a gap
 * between them rather than as a false ratio.
 */
public final class GroupCommitBenchmark implements Benchmark {
    static final String DEFAULT_THREADS = "16";
    static final String DEFAULT_DURATION = "5s";

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
        if (common.getOrDefault(RunDuration.VARIABLE, "").isBlank()) {
            common.put(RunDuration.VARIABLE, DEFAULT_DURATION);
        }
        sweep(WorkloadConfig.fromEnvironment(common), counts, out);
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        sweep(config, ThreadSweep.parse(Integer.toString(config.threads())), out);
    }

    private void sweep(WorkloadConfig config, List<Integer> counts, PrintStream out) throws IOException {
        WorkloadConfig oneWriter = config.sweepPoint(1);
        out.println("group-commit: sync-each, writers " + counts + "; each point: "
                + oneWriter.describe().replaceFirst("^1 writer thread, ", ""));
        WritePhase phase = new WritePhase(name(), oneWriter, PageCacheSettler.forThisMachine(), out);
        WritePhase.TargetOpener loop = directory -> FileChannelWriteTarget.open(directory, oneWriter.fsync());
        PhaseSummary loopBefore = phase.run("fdatasync-loop-before", 1, loop);
        GroupCommitTable table = new GroupCommitTable();
        for (int threads : counts) {
            WorkloadConfig point = config.sweepPoint(threads);
            WritePhase pointPhase = new WritePhase(name(), point, PageCacheSettler.forThisMachine(), out);
            table.add(threads, pointPhase.run("walrus-" + threads + "w", 1,
                    directory -> WalrusWriteTarget.open(directory, point)));
        }
        PhaseSummary loopAfter = phase.run("fdatasync-loop-after", 1, loop);
        table.print(out, loopBefore, loopAfter);
        out.println("csv: " + table.writeCsv(CsvProgressLog.RESULTS_DIR, name(), loopBefore, loopAfter));
    }
}
