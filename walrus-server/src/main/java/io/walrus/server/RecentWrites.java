package io.walrus.server;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * What one group's state machine applied over the last {@link #WINDOW_SECONDS} whole seconds, for
 * {@code walrus cluster status} (Prometheus gets the running totals, {@link AppliedWrites}, and
 * computes its own rates). A ring of one-second slots, each reset when its second comes round
 * again. Written by the group's apply thread, read by queries; both are rare enough (one call per
 * applied write, one per status) that a monitor costs nothing worth avoiding.
 */
final class RecentWrites {
    static final int WINDOW_SECONDS = 10;

    private final LongSupplier nanoClock;
    private final long startSecond;
    private final long[] second = new long[WINDOW_SECONDS];
    private final long[] appends = new long[WINDOW_SECONDS];
    private final long[] entries = new long[WINDOW_SECONDS];
    private final long[] latencySamples = new long[WINDOW_SECONDS];
    private final long[] latencySumNanos = new long[WINDOW_SECONDS];
    private final long[] latencyMaxNanos = new long[WINDOW_SECONDS];

    RecentWrites() {
        this(System::nanoTime);
    }

    RecentWrites(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startSecond = secondOf(nanoClock.getAsLong());
        Arrays.fill(second, Long.MIN_VALUE);
    }

    /** The sums over the window: {@code latency*} only from appends this node received as leader. */
    record Window(int seconds, long appends, long entries, long latencySamples, long latencySumNanos,
                  long latencyMaxNanos) {
        /** The mean latency, or -1 without a sample. */
        long latencyMeanNanos() {
            return latencySamples == 0 ? -1 : latencySumNanos / latencySamples;
        }
    }

    /**
     * One write applied, of {@code entryCount} entries; {@code latencyNanos} from the leader's receipt
     * of it to now, or negative where this node did not receive it (a follower, a replay).
     */
    synchronized void applied(int entryCount, long latencyNanos) {
        int slot = slotFor(secondOf(nanoClock.getAsLong()));
        appends[slot]++;
        entries[slot] += entryCount;
        if (latencyNanos >= 0) {
            latencySamples[slot]++;
            latencySumNanos[slot] += latencyNanos;
            latencyMaxNanos[slot] = Math.max(latencyMaxNanos[slot], latencyNanos);
        }
    }

    /** The last whole seconds (the one under way is left out: it would read low), at most {@link #WINDOW_SECONDS}. */
    synchronized Window window() {
        long now = secondOf(nanoClock.getAsLong());
        long from = Math.max(startSecond, now - WINDOW_SECONDS);
        long sumAppends = 0;
        long sumEntries = 0;
        long samples = 0;
        long latencySum = 0;
        long latencyMax = -1;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (second[i] >= from && second[i] < now) {
                sumAppends += appends[i];
                sumEntries += entries[i];
                samples += latencySamples[i];
                latencySum += latencySumNanos[i];
                if (latencySamples[i] > 0) {
                    latencyMax = Math.max(latencyMax, latencyMaxNanos[i]);
                }
            }
        }
        return new Window((int) (now - from), sumAppends, sumEntries, samples, latencySum, latencyMax);
    }

    private int slotFor(long at) {
        int slot = (int) Math.floorMod(at, (long) WINDOW_SECONDS);
        if (second[slot] != at) {
            second[slot] = at;
            appends[slot] = 0;
            entries[slot] = 0;
            latencySamples[slot] = 0;
            latencySumNanos[slot] = 0;
            latencyMaxNanos[slot] = 0;
        }
        return slot;
    }

    private static long secondOf(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L);
    }
}
