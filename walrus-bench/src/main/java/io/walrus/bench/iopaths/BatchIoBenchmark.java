package io.walrus.bench.iopaths;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.BatchSize;
import io.walrus.bench.config.RunDuration;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;
import io.walrus.storage.uring.IoUringSupport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batch-io}: how batch appends reach the kernel, in one run on the FD backend, with payloads
 * of exactly 1 KiB: batches of {@code BATCH} (default 256) through io_uring, the same batches
 * through FileChannel (the fallback), and the same entries as single appends. At least two rounds,
 * the second in reverse order.
 */
public final class BatchIoBenchmark implements Benchmark {
    static final int PAYLOAD_BYTES = 1024;

    @Override
    public String name() {
        return "batch-io";
    }

    @Override
    public String summary() {
        return "batch appends of BATCH x 1 KiB via io_uring vs FileChannel vs single appends (FD backend)";
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        Map<String, String> common = new HashMap<>(environment);
        common.put(WorkloadConfig.BATCH_SIZE, Integer.toString(BatchSize.fromEnvironment(environment)));
        common.put(WorkloadConfig.BACKEND, "fd");
        common.putIfAbsent(RunDuration.VARIABLE, "5s");
        if (common.get(WorkloadConfig.THREADS) == null) {
            common.put(WorkloadConfig.THREADS, "1");
        }
        run(WorkloadConfig.fromEnvironment(common), out);
    }

    /** One phase: its label, workload, and whether the instance uses io_uring (for flushes, for batch writes). */
    private record Phase(String label, WorkloadConfig config, boolean ring, boolean ringWrites) {
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        out.println("batch-io: " + config.describe() + ", payloads of " + PAYLOAD_BYTES + " bytes");
        out.println("io_uring: " + IoUringSupport.unavailableReason().map(r -> "unavailable (" + r + ")")
                .orElse("available"));
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        PathTable table = new PathTable("filechannel-batch");
        WorkloadConfig singles = new WorkloadConfig(config.fsync(), config.threads(), config.duration(), 0,
                config.backend(), config.dataDir(), 1);
        List<Phase> phases = new ArrayList<>();
        if (IoUringSupport.available()) {
            phases.add(new Phase("io_uring-batch", config, true, true));
        }
        phases.add(new Phase("filechannel-batch", config, false, false));
        phases.add(new Phase("single-appends", singles, false, false));
        int rounds = Math.max(2, config.rounds());
        try {
            for (int round = 1; round <= rounds; round++) {
                // Odd rounds in order, even rounds reversed: the first phase of a JVM runs cold.
                List<Phase> order = new ArrayList<>(phases);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Phase phase : order) {
                    IoUringSupport.useForNewInstances(phase.ring());
                    IoUringSupport.submitBatchWrites(phase.ringWrites());
                    WritePhase run = new WritePhase(name(), phase.config(), settler, out, PAYLOAD_BYTES);
                    table.add(run.run(phase.label(), round, dir -> WalrusWriteTarget.open(dir, phase.config())));
                }
            }
        } finally {
            IoUringSupport.useForNewInstances(true);
            IoUringSupport.submitBatchWrites(Boolean.getBoolean(IoUringSupport.BATCH_WRITES_PROPERTY));
        }
        table.print("batch-io: " + config.describeThreads() + ", fsync " + config.fsync() + ", batches of "
                + config.batchSize(), out);
    }
}
