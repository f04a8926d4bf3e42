package io.walrus.bench.iopaths;

import io.walrus.StorageBackend;
import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.MappedBufferWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code backends}: the {@code writes} workload on Walrus's FD backend, its mmap backend, and the
 * plain FileChannel and MappedByteBuffer loops each imitates, one after another in one run; at
 * least two rounds, the second in reverse order.
 */
public final class BackendsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "backends";
    }

    @Override
    public String summary() {
        return "writes workload on walrus fd, walrus mmap, and the FileChannel and MappedByteBuffer loops";
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        out.println("backends: " + config.describe().replaceFirst(", backend \\w+", ""));
        WritePhase phase = new WritePhase(name(), config, PageCacheSettler.forThisMachine(), out);
        WorkloadConfig fd = withBackend(config, StorageBackend.FD);
        WorkloadConfig mmap = withBackend(config, StorageBackend.MMAP);
        PathTable table = new PathTable("walrus-fd");
        List<Map.Entry<String, WritePhase.TargetOpener>> targets = List.of(
                Map.entry("walrus-fd", dir -> WalrusWriteTarget.open(dir, fd)),
                Map.entry("walrus-mmap", dir -> WalrusWriteTarget.open(dir, mmap)),
                Map.entry("filechannel-loop", dir -> FileChannelWriteTarget.open(dir, config.fsync())),
                Map.entry("mappedbuffer-loop", dir -> MappedBufferWriteTarget.open(dir, config.fsync())));
        int rounds = Math.max(2, config.rounds());
        for (int round = 1; round <= rounds; round++) {
            // Odd rounds in order, even rounds reversed: the first phase of a JVM runs cold.
            List<Map.Entry<String, WritePhase.TargetOpener>> order = new ArrayList<>(targets);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (Map.Entry<String, WritePhase.TargetOpener> target : order) {
                table.add(phase.run(target.getKey(), round, target.getValue()));
            }
        }
        table.print("backends: " + config.describeThreads() + ", fsync " + config.fsync(), out);
    }

    private static WorkloadConfig withBackend(WorkloadConfig config, StorageBackend backend) {
        return new WorkloadConfig(config.fsync(), config.threads(), config.duration(), config.batchSize(), backend,
                config.dataDir(), 1);
    }
}
