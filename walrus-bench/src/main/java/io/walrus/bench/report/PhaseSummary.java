package io.walrus.bench.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What one phase achieved, in the same words for every target so the lines can be compared.
 *
 * @param label        the target's name
 * @param writes       entries written (or read, in a read phase)
 * @param payloadBytes payload bytes written or read (headers not counted, as in the original)
 * @param elapsedNanos from the start signal to the last writer's stop
 * @param latency      one sample per append call
 * @param latencyUnit  what one sample times: {@code "append"} or {@code "batch of 256"}
 * @param closeNanos   how long closing the target took (the final flush), apart from the writes
 * @param csv          the phase's per-second CSV
 * @param operation    what one entry was, as a plural noun for the report: {@code writes}, {@code reads}
 */
public record PhaseSummary(String label, long writes, long payloadBytes, long elapsedNanos,
                           LatencyHistogram latency, String latencyUnit, long closeNanos, Path csv,
                           String operation) {

    /** A write phase's summary, as every phase was before read phases existed. */
    public PhaseSummary(String label, long writes, long payloadBytes, long elapsedNanos,
                        LatencyHistogram latency, String latencyUnit, long closeNanos, Path csv) {
        this(label, writes, payloadBytes, elapsedNanos, latency, latencyUnit, closeNanos, csv, "writes");
    }

    public double writesPerSecond() {
        return writes / seconds();
    }

    /** Payload megabytes (10^6 bytes) a second. */
    public double megabytesPerSecond() {
        return payloadBytes / seconds() / 1e6;
    }

    public double seconds() {
        return Math.max(elapsedNanos, 1) / 1e9;
    }

    public void print(PrintStream out) {
        out.println(String.format(Locale.ROOT, "[%s] summary: %,d %s in %.2f s: %,.0f %s/s, %.1f MB/s",
                label, writes, operation, seconds(), writesPerSecond(), operation, megabytesPerSecond()));
        out.println(String.format(Locale.ROOT, "[%s] latency per %s: p50 %s, p99 %s, p99.9 %s, max %s (%,d samples)",
                label, latencyUnit,
                LatencyHistogram.format(latency.percentileNanos(50)),
                LatencyHistogram.format(latency.percentileNanos(99)),
                LatencyHistogram.format(latency.percentileNanos(99.9)),
                LatencyHistogram.format(latency.maxNanos()),
                latency.count()));
        out.println("[" + label + "] close (final flush): " + LatencyHistogram.format(closeNanos));
        out.println("[" + label + "] csv: " + csv);
    }

    /** {@code walrus/filechannel = 0.93x writes/s}. */
    public static String compare(PhaseSummary subject, PhaseSummary baseline) {
        return String.format(Locale.ROOT, "%s/%s = %.2fx writes/s", subject.label(), baseline.label(),
                subject.writesPerSecond() / baseline.writesPerSecond());
    }
}
