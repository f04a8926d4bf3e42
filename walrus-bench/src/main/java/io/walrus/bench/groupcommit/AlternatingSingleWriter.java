package io.walrus.bench.groupcommit;

import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.LatencyHistogram;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.target.WriteTarget;
import io.walrus.bench.workload.PayloadPool;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One writer, Walrus against the plain write+fdatasync loop, in alternating half-second slices on
 * one thread. Whole phases seconds apart see a shared disk at different speeds (the loop measured
 * 1,290 and 3,018 writes/s within minutes); slices this short see the same disk, so their ratio is
 * the one that says what Walrus costs a lone writer.
 */
final class AlternatingSingleWriter {
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final int SLICES = 16;

    record Result(long walrusAppends, long loopAppends, LatencyHistogram walrus, LatencyHistogram loop) {
        double ratio() {
            return (double) walrusAppends / Math.max(loopAppends, 1);
        }
    }

    static Result run(WorkloadConfig oneWriter, String benchmark) throws IOException {
        PayloadPool payloads = new PayloadPool(42, 0);
        LatencyHistogram walrusLatency = new LatencyHistogram();
        LatencyHistogram loopLatency = new LatencyHistogram();
        long[] counts = new long[2];
        try (ScratchDirectory walrusDir = ScratchDirectory.create(oneWriter.dataDir(), benchmark + "-alternating-walrus");
             ScratchDirectory loopDir = ScratchDirectory.create(oneWriter.dataDir(), benchmark + "-alternating-loop");
             WriteTarget walrus = WalrusWriteTarget.open(walrusDir.path(), oneWriter);
             WriteTarget loop = FileChannelWriteTarget.open(loopDir.path(), oneWriter.fsync())) {
            WriteTarget.Appender[] appenders = {walrus.appender(0), loop.appender(0)};
            LatencyHistogram[] latencies = {walrusLatency, loopLatency};
            for (WriteTarget.Appender appender : appenders) {
                appender.append(payloads.next()); // each creates its file before the clock, as the phases do
            }
            for (int slice = 0; slice < SLICES; slice++) {
                int target = slice % 2 == 0 ? slice / 2 % 2 : 1 - slice / 2 % 2; // W L L W W L L W ...
                long deadline = System.nanoTime() + SLICE_NANOS;
                for (long now = System.nanoTime(); now < deadline; ) {
                    appenders[target].append(payloads.next());
                    long done = System.nanoTime();
                    latencies[target].record(done - now);
                    counts[target]++;
                    now = done;
                }
            }
        }
        return new Result(counts[0], counts[1], walrusLatency, loopLatency);
    }

    static void print(Result result, PrintStream out) {
        out.println(String.format(Locale.ROOT, "1 writer, alternating %d slices of %d ms on one thread: walrus %,d appends "
                        + "(p50 %s), loop %,d (p50 %s): %.2fx; target >= %.2fx: %s", SLICES,
                TimeUnit.NANOSECONDS.toMillis(SLICE_NANOS), result.walrusAppends(),
                LatencyHistogram.format(result.walrus().percentileNanos(50)), result.loopAppends(),
                LatencyHistogram.format(result.loop().percentileNanos(50)), result.ratio(),
                GroupCommitTable.ONE_WRITER_TARGET, result.ratio() >= GroupCommitTable.ONE_WRITER_TARGET ? "met" : "MISSED"));
    }
}
