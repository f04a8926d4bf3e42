package io.walrus.bench.workload;

import io.walrus.bench.report.DirtyPageProbe;
import io.walrus.bench.report.DirtyPageProbe.DirtyPages;
import io.walrus.bench.report.LatencyHistogram;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits, before a phase starts, for the kernel to finish writing back what earlier phases or runs
 * left in the page cache. Otherwise a phase shares the disk with its predecessor's writeback and
 * the kernel throttles its writers for bytes it never wrote, so whichever target runs second is
 * measured on a busier machine.
 *
 * <p>It asks for everything dirty to be written ({@code sync}), then polls {@code Dirty + Writeback}
 * in {@code /proc/meminfo} until the sum is small or {@link #MAX_WAIT} has passed; a shared machine
 * whose other tenants keep writing must slow the benchmark down, never stop it. Where there is no
 * {@code /proc/meminfo} it syncs and goes on.
 */
public final class PageCacheSettler {
    /** Settled: below this, what is left is noise next to what a phase writes in a second. */
    static final long THRESHOLD_KB = 32 * 1024;
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Asks the system to write dirty data back, waiting at most {@code timeout} for it. */
    @FunctionalInterface
    interface Flusher {
        void flush(Duration timeout) throws IOException, InterruptedException;
    }

    /**
     * What settling found, in one line for the report.
     *
     * @param waitedNanos how long settling took, the flush included
     * @param before      dirty and writeback figures before the flush; null where unknown
     * @param after       the figures when the wait ended; null where unknown
     * @param thresholdKb the sum of the two that counts as settled
     * @param flushError  why the flush could not run, or null
     */
    public record Outcome(long waitedNanos, DirtyPages before, DirtyPages after, long thresholdKb,
                          String flushError) {

        /** Whether dirty plus writeback fell below the threshold; false when it could not be read. */
        public boolean settled() {
            return after != null && total(after) < thresholdKb;
        }

        /** {@code settle: waited 1.52 s: dirty+writeback 412,100 kB -> 2,340 kB (target < 32,768 kB)}. */
        public String describe() {
            String waited = "settle: waited " + LatencyHistogram.format(waitedNanos);
            String flush = flushError == null ? "" : "; sync failed: " + flushError;
            if (after == null) {
                return waited + " for sync; dirty pages not readable from /proc/meminfo, so not waiting for writeback"
                        + flush;
            }
            String from = before == null ? "" : kb(total(before)) + " -> ";
            return waited + (settled() ? "" : ", gave up") + ": dirty+writeback " + from + kb(total(after))
                    + " (target < " + kb(thresholdKb) + ")" + flush;
        }

        private static String kb(long kilobytes) {
            return String.format(Locale.ROOT, "%,d kB", kilobytes);
        }
    }

    private final Flusher flusher;
    private final Supplier<DirtyPages> reader;
    private final long thresholdKb;
    private final long maxWaitNanos;
    private final long pollMillis;

    PageCacheSettler(Flusher flusher, Supplier<DirtyPages> reader, long thresholdKb, Duration maxWait,
                     Duration poll) {
        this.flusher = flusher;
        this.reader = reader;
        this.thresholdKb = thresholdKb;
        this.maxWaitNanos = maxWait.toNanos();
        this.pollMillis = Math.max(1, poll.toMillis());
    }

    /** Flushes with the {@code sync} command and watches this machine's {@code /proc/meminfo}. */
    public static PageCacheSettler forThisMachine() {
        DirtyPageProbe probe = new DirtyPageProbe();
        return new PageCacheSettler(PageCacheSettler::runSync, probe::read, THRESHOLD_KB, MAX_WAIT, POLL);
    }

    /** Flushes, then waits until the page cache is settled or the time is up. */
    public Outcome settle() throws IOException {
        long start = System.nanoTime();
        long deadline = start + maxWaitNanos;
        DirtyPages before = reader.get();
        try {
            String flushError = flush();
            DirtyPages now = reader.get();
            while (now != null && total(now) >= thresholdKb && deadline - System.nanoTime() > 0) {
                Thread.sleep(pollMillis);
                now = reader.get();
            }
            return new Outcome(System.nanoTime() - start, before, now, thresholdKb, flushError);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the page cache to settle", e);
        }
    }

    /**
     * Null when the flush ran, otherwise why it did not. A failed flush is no reason to skip the
     * phase: the kernel writes back on its own, so waiting alone still helps.
     */
    private String flush() throws InterruptedException {
        try {
            flusher.flush(Duration.ofNanos(maxWaitNanos));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static long total(DirtyPages pages) {
        return pages.dirtyKb() + pages.writebackKb();
    }

    /**
     * Runs {@code sync}, which on Linux also waits for the writeback it starts. One that outlives
     * {@code timeout} is left to finish on its own: it cannot be stopped mid-flush anyway.
     */
    private static void runSync(Duration timeout) throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (sync.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) && sync.exitValue() != 0) {
            throw new IOException("sync exited with status " + sync.exitValue());
        }
    }
}
