package io.walrus.bench.readab;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.config.WholeNumberSetting;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.readcompare.ReadEntries;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code read-ab}: this build's zero-copy read path against another build's (BASELINE_JAR), for
 * changes too small for bench-reads to see on a shared machine. Each run is a child JVM holding both
 * builds (see {@link InterleavedVisits}), visiting READ_ENTRIES entries again and again through
 * {@code visitBatchForTopic(64 KiB, checkpoint)} under {@code atLeastOnce(PERSIST_EVERY)}, with
 * VISIT_WORK multiply-adds per entry for the consumer's own work. The runs alternate which build
 * opens first, and two control runs pit this build against itself, which shows what the harness
 * reads as a difference when there is none.
 */
public final class ReadAbBenchmark implements Benchmark {
    static final String BASELINE = "BASELINE_JAR";
    static final String PERSIST_EVERY = "PERSIST_EVERY";
    static final String WORK = "VISIT_WORK";
    static final String PASSES = "AB_PASSES";
    static final String RUNS = "AB_RUNS";
    private static final int CONTROL_RUNS = 2;

    @Override
    public String name() {
        return "read-ab";
    }

    @Override
    public String summary() {
        return "this build's visitBatchForTopic against BASELINE_JAR's, interleaved in one JVM per run";
    }

    /** With the defaults for read-ab's own settings; BASELINE_JAR must still be in the environment. */
    @Override
    public void run(WorkloadConfig config, PrintStream out) throws Exception {
        run(System.getenv(), out);
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws Exception {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(environment);
        String baselineSetting = environment.get(BASELINE);
        if (baselineSetting == null || baselineSetting.isBlank() || !Files.isRegularFile(Path.of(baselineSetting))) {
            throw new InvalidSettingException(BASELINE, baselineSetting == null ? "" : baselineSetting,
                    "the path of another build's walrus-bench.jar (make bench-read-ab BASELINE_REV=<commit> builds one)");
        }
        Path baseline = Path.of(baselineSetting).toAbsolutePath();
        Path current = selfJar();
        long entries = ReadEntries.parse(environment.get(ReadEntries.VARIABLE));
        int persistEvery = WholeNumberSetting.read(environment, PERSIST_EVERY, 5000, 1, Integer.MAX_VALUE);
        int work = WholeNumberSetting.read(environment, WORK, 0, 0, 1_000_000);
        int passes = WholeNumberSetting.read(environment, PASSES, 60, 8, 10_000);
        int runs = WholeNumberSetting.read(environment, RUNS, 6, 1, 100);
        String backend = config.backend().name();
        out.printf(Locale.ROOT, "read-ab: visitBatchForTopic 64 KiB, atLeastOnce(%d), %,d entries, %d multiply-adds an"
                        + " entry, BACKEND=%s, %d passes a run%n  this build: %s%n  baseline:   %s%n", persistEvery, entries,
                work, backend, passes, current, baseline);
        List<Double> control = new ArrayList<>();
        List<Double> speedups = new ArrayList<>();
        for (int run = 0; run < CONTROL_RUNS + runs; run++) {
            boolean isControl = run < CONTROL_RUNS;
            boolean thisFirst = run % 2 == 0;
            Path first = isControl || thisFirst ? current : baseline;
            Path second = isControl || !thisFirst ? current : baseline;
            String nameA = isControl ? "A" : thisFirst ? "this" : "baseline";
            String nameB = isControl ? "B" : thisFirst ? "baseline" : "this";
            String label = isControl ? "control " + (run + 1) + " (this build against itself)"
                    : "run " + (run - CONTROL_RUNS + 1) + " (" + nameA + " first)";
            double[] result = childRun(config.dataDir(), first, second, backend, entries, persistEvery, work, passes,
                    label, out);
            // result[2..4]: A's time over B's per pass pair (median, quartiles). The speed of this build over
            // the baseline's is the baseline's time over this build's: that ratio, or its inverse where A is this.
            boolean invert = !isControl && thisFirst;
            double speedup = invert ? 1 / result[2] : result[2];
            double low = invert ? 1 / result[4] : result[3];
            double high = invert ? 1 / result[3] : result[4];
            (isControl ? control : speedups).add(speedup);
            out.printf(Locale.ROOT, "%s: %s %.1f ns/entry, %s %.1f ns/entry; %s %.3fx (pass pairs' quartiles %.3f to %.3f)%n",
                    label, nameA, result[0], nameB, result[1],
                    isControl ? "A's time over B's" : "speed of this build over the baseline's", speedup, low, high);
        }
        out.printf(Locale.ROOT, "== read-ab: this build reads at %.3fx the baseline's speed (median of %d runs: %s);"
                        + " control %s%n", InterleavedVisits.quantile(toArray(speedups), 0.5), runs, format(speedups),
                format(control));
    }

    private static double[] childRun(Path dataDir, Path first, Path second, String backend, long entries,
                                     int persistEvery, int work, int passes, String label, PrintStream out)
            throws IOException, InterruptedException {
        try (ScratchDirectory scratch = ScratchDirectory.create(dataDir, "read-ab")) {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", selfJar().toString(), InterleavedVisits.class.getName(),
                    first.toString(), second.toString(), scratch.path().resolve("log-").toString(), backend,
                    Long.toString(entries), Integer.toString(persistEvery), Integer.toString(work), Integer.toString(passes)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("WALRUS_QUIET", "1");
            Process child = builder.start();
            double[] result = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("RESULT ")) {
                        String[] fields = line.substring("RESULT ".length()).trim().split(" ");
                        result = new double[fields.length];
                        for (int i = 0; i < fields.length; i++) {
                            result[i] = Double.parseDouble(fields[i]);
                        }
                    } else {
                        out.println("  [" + label + "] " + line);
                    }
                }
            }
            int exit = child.waitFor();
            if (exit != 0 || result == null) {
                throw new IOException(label + ": the child JVM exited " + exit + " without a result (its output is above)");
            }
            return result;
        }
    }

    /** This build's jar: the child's class path (for {@link InterleavedVisits}) and side A or B. */
    private static Path selfJar() {
        try {
            return Path.of(InterleavedVisits.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String format(List<Double> values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.3fx", value));
        }
        return text.toString();
    }
}
