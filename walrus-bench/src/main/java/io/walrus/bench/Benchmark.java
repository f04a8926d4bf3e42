package io.walrus.bench;

import io.walrus.bench.config.WorkloadConfig;

import java.io.PrintStream;
import java.util.Map;

/** One subcommand of {@code walrus-bench}: a workload that reports to {@code out}. */
public interface Benchmark {

    /** The subcommand that runs it, e.g. {@code writes}. */
    String name();

    /** One line for the usage text. */
    String summary();

    void run(WorkloadConfig config, PrintStream out) throws Exception;

    /**
     * Reads the settings from {@code environment} and runs. Most benchmarks take the common
     * {@link WorkloadConfig}; one that reads a variable differently (scaling's {@code THREADS})
     * overrides this.
     *
     * @throws io.walrus.bench.config.InvalidSettingException naming the first unusable variable
     */
    default void run(Map<String, String> environment, PrintStream out) throws Exception {
        run(WorkloadConfig.fromEnvironment(environment), out);
    }
}
