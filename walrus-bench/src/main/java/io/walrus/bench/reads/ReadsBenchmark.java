package io.walrus.bench.reads;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.readcompare.ReadComparison;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code reads}: Walrus's reads against its peers'. The same entries are written into Walrus (both
 * backends) and into each peer, then read back every way ({@code readNext}, peeks, 64 KiB batch
 * reads; Chronicle's tailer, Kafka's log read, RocksDB's iterator, the plain loops), from the page
 * cache and cold; see {@link ReadComparison}. {@code PEERS=none} reads Walrus alone.
 */
public final class ReadsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "reads";
    }

    @Override
    public String summary() {
        return "reads of the same entries: Walrus (fd, mmap) against Chronicle, Kafka's log, RocksDB and plain loops";
    }

    /** Reads {@code PEERS} and {@code READ_ENTRIES} besides the common settings. */
    @Override
    public void run(Map<String, String> environment, PrintStream out) throws IOException {
        ReadComparison.fromEnvironment(name(), environment, out).run();
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        ReadComparison.of(name(), config, out).run();
    }
}
