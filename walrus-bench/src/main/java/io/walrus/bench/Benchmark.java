package io.walrus.bench;

import io.walrus.bench.config.WorkloadConfig;

import java.io.PrintStream;

/** One subcommand of {@code walrus-bench}: a workload that reports to {@code out}. */
public interface Benchmark {

    /** The subcommand that runs it, e.g. {@code writes}. */
    String name();

    /** One line for the usage text. */
    String summary();

    void run(WorkloadConfig config, PrintStream out) throws Exception;
}
