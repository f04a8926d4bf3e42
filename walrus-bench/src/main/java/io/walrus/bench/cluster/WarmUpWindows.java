package io.walrus.bench.cluster;

import java.time.Duration;

/**
 * When a cluster's warm-up may end: it counts appends in windows of {@link #WINDOW} and ends once
 * {@link #STEADY_WINDOWS} windows in a row are within {@link #STEADY} of each other (the JITs have
 * done most of their work), after at least {@link #MIN_WINDOWS} windows, or at
 * {@code CLUSTER_WARMUP} whatever the rate. Measured here (2 cores, three node JVMs and the
 * benchmark's): a fixed 15 s measured the compilers as much as the cluster (4 writers: 138 to 170
 * appends/s after 15 s, 889 after 45 s of warm-up); two windows alike were not enough either, the
 * rate paused at 339 then 351 appends/s on its way to 760-824.
 */
final class WarmUpWindows {
    static final String VARIABLE = "CLUSTER_WARMUP";
    static final Duration DEFAULT_MAX = Duration.ofSeconds(120);
    static final Duration WINDOW = Duration.ofSeconds(5);
    static final int MIN_WINDOWS = 6;
    static final int STEADY_WINDOWS = 3;
    /** The last {@link #STEADY_WINDOWS} windows' highest count at most this much above their lowest. */
    static final double STEADY = 0.10;

    private final int maxWindows;
    private final long[] recent = new long[STEADY_WINDOWS];
    private int windows;

    /** @param max the most the warm-up may take ({@code CLUSTER_WARMUP}, default {@link #DEFAULT_MAX}) */
    WarmUpWindows(Duration max) {
        this.maxWindows = (int) Math.max(1, Math.ceilDiv(max.toMillis(), WINDOW.toMillis()));
    }

    /** Takes one window's count of appends; true when the warm-up should stop after it. */
    boolean steadyAfter(long appended) {
        recent[windows % STEADY_WINDOWS] = appended;
        windows++;
        return windows >= maxWindows || (windows >= MIN_WINDOWS && steady());
    }

    private boolean steady() {
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (long count : recent) {
            lowest = Math.min(lowest, count);
            highest = Math.max(highest, count);
        }
        return lowest > 0 && highest <= (1 + STEADY) * lowest;
    }

    int windows() {
        return windows;
    }
}
