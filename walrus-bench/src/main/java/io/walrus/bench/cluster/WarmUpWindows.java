package io.walrus.bench.cluster;

import java.time.Duration;

/**
 * When a cluster's warm-up may end: it counts appends in windows of {@link #WINDOW} and ends once a
 * window's rate is within {@link #STEADY} of the one before (the JIT has done most of its work), after
 * at least {@link #MIN_WINDOWS} windows, or at {@code CLUSTER_WARMUP} whatever the rate. Fifteen
 * seconds were not enough here: three fresh node JVMs and a client sharing two cores were still
 * compiling after a minute (one writer thread 190 appends/s after 90 s of warm-up against 126 to
 * 164 from 4 threads after 15 s), so a fixed warm-up measured the compilers as much as the cluster.
 */
final class WarmUpWindows {
    static final String VARIABLE = "CLUSTER_WARMUP";
    static final Duration DEFAULT_MAX = Duration.ofSeconds(120);
    static final Duration WINDOW = Duration.ofSeconds(5);
    static final int MIN_WINDOWS = 3;
    /** A window this close to the one before, or above it by no more, counts as steady. */
    static final double STEADY = 0.10;

    private final int maxWindows;
    private long previous = -1;
    private int windows;

    /** @param max the most the warm-up may take ({@code CLUSTER_WARMUP}, default {@link #DEFAULT_MAX}) */
    WarmUpWindows(Duration max) {
        this.maxWindows = (int) Math.max(MIN_WINDOWS, Math.ceilDiv(max.toMillis(), WINDOW.toMillis()));
    }

    /** Takes one window's count of appends; true when the warm-up should stop after it. */
    boolean steadyAfter(long appended) {
        windows++;
        boolean steady = previous > 0 && Math.abs(appended - previous) <= STEADY * previous;
        previous = appended;
        return windows >= maxWindows || (windows >= MIN_WINDOWS && steady);
    }

    int windows() {
        return windows;
    }
}
