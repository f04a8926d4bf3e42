package io.walrus.bench.writes;

import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.report.CsvProgressLog;
import one.profiler.AsyncProfiler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * async-profiler around each timed write phase ({@code make profile-writes}): sampling starts when the
 * clock does and stops when the writers do, so setup, settling and the other target's phase stay
 * out. Each phase leaves its collapsed stacks and a flame graph in {@code bench_results/} and prints
 * where its appends spent their samples ({@link ProfileBreakdown}).
 *
 * <p>async-profiler shows the frames the JIT inlined, which JFR's sampler folds into one: that is
 * what splits an append's cost into its parts. {@code PROFILE} picks the event ({@code cpu}, which
 * falls back to {@code itimer} where perf events are not allowed, as in a VM; {@code itimer};
 * {@code wall}), {@code PROFILE_INTERVAL} the sampling interval (default 1ms; at 100us the signals
 * alone slow a 2-core machine's writers by half).
 */
final class PhaseProfiler {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String DEFAULT_INTERVAL = "1ms";

    private final AsyncProfiler profiler;
    private final String event;
    private final String interval;

    private PhaseProfiler(AsyncProfiler profiler, String event, String interval) {
        this.profiler = profiler;
        this.event = event;
        this.interval = interval;
    }

    /**
     * The profiler {@code PROFILE} asks for, or null when it is unset or empty. The native library
     * comes out of the jar (into {@code -Done.profiler.extractPath}, a temporary file by default).
     */
    static PhaseProfiler fromEnvironment(Map<String, String> environment) {
        String event = environment.getOrDefault("PROFILE", "").trim().toLowerCase(Locale.ROOT);
        if (event.isEmpty()) {
            return null;
        }
        if (!event.equals("cpu") && !event.equals("itimer") && !event.equals("wall")) {
            throw new InvalidSettingException("PROFILE", event, "cpu, itimer or wall");
        }
        String interval = environment.getOrDefault("PROFILE_INTERVAL", DEFAULT_INTERVAL).trim();
        if (!interval.matches("[0-9]+(ns|us|ms|s)?")) {
            throw new InvalidSettingException("PROFILE_INTERVAL", interval, "a number with ns, us, ms or s, e.g. 1ms");
        }
        return new PhaseProfiler(AsyncProfiler.getInstance(), event, interval);
    }

    String describe() {
        return "async-profiler " + profiler.getVersion() + ", event " + event + " every " + interval;
    }

    /** Starts sampling every thread of the JVM. */
    void start() throws IOException {
        profiler.execute("start,event=" + event + ",interval=" + interval);
    }

    /**
     * Stops sampling and writes {@code profile-<benchmark>-<name>-<time>.collapsed} and {@code .html}
     * under {@code bench_results/}, then prints the breakdown of the appends' samples, per append of
     * the {@code writes} the phase made.
     */
    void stop(String benchmark, String name, String label, long writes, PrintStream out) throws IOException {
        profiler.stop();
        Files.createDirectories(CsvProgressLog.RESULTS_DIR);
        String base = "profile-" + benchmark + "-" + name + "-" + LocalDateTime.now().format(FILE_TIME);
        Path collapsed = CsvProgressLog.RESULTS_DIR.resolve(base + ".collapsed");
        Path flameGraph = CsvProgressLog.RESULTS_DIR.resolve(base + ".html");
        profiler.execute("collapsed,file=" + collapsed.toAbsolutePath());
        profiler.execute("flamegraph,title=" + benchmark + " " + name + ",file=" + flameGraph.toAbsolutePath());
        out.println("[" + label + "] profile: " + collapsed + ", flame graph " + flameGraph);
        ProfileBreakdown.of(collapsed).print(label, writes, intervalNanos(), out);
    }

    private long intervalNanos() {
        long value = Long.parseLong(interval.replaceAll("[a-z]+$", ""));
        if (interval.endsWith("ns")) {
            return value;
        } else if (interval.endsWith("us")) {
            return value * 1_000;
        } else if (interval.endsWith("ms")) {
            return value * 1_000_000;
        } else if (interval.endsWith("s")) {
            return value * 1_000_000_000;
        }
        return value; // async-profiler reads a bare number as nanoseconds for cpu and itimer
    }
}
