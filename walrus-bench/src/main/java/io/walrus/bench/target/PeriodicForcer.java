package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Forces a set of files (or whatever a peer flushes: a WAL, a log, a mapping) every interval from
 * one background thread: the baselines' and peers' counterpart of Walrus's
 * {@code FsyncSchedule.milliseconds(n)} flusher. Under the other schedules it is idle: no thread,
 * and what is registered is never forced (sync-each targets force in their writers, no-fsync ones not
 * at all).
 */
final class PeriodicForcer {
    /** One thing to make durable: {@code channel.force(false)}, {@code db.flushWal(true)}, ... */
    @FunctionalInterface
    interface Forceable {
        void force() throws IOException;
    }

    private final long intervalNanos;
    private final List<Forceable> targets = new CopyOnWriteArrayList<>();
    /** Null when idle. */
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IOException failure;

    private PeriodicForcer(long intervalMillis, boolean idle) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = idle ? null : Thread.ofPlatform().name("baseline-forcer").daemon().start(this::forceUntilClosed);
    }

    /** A forcer for {@code fsync}: forcing every interval under the interval schedule, else idle. */
    static PeriodicForcer of(FsyncMode fsync) {
        boolean interval = fsync.kind() == FsyncMode.Kind.INTERVAL;
        return new PeriodicForcer(interval ? fsync.intervalMillis() : 0, !interval);
    }

    void register(Forceable target) {
        if (thread != null) {
            targets.add(target);
        }
    }

    private void forceUntilClosed() {
        long next = System.nanoTime() + intervalNanos;
        while (running) {
            // parkNanos, not sleep: stopping must never interrupt this thread, because an interrupt
            // during force() closes the channel under the writers.
            LockSupport.parkNanos(next - System.nanoTime());
            if (!running) {
                return;
            }
            if (System.nanoTime() - next < 0) {
                continue; // woke early
            }
            forceAll();
            next += intervalNanos;
        }
    }

    private void forceAll() {
        for (Forceable target : targets) {
            try {
                target.force();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Stops the thread after any force in progress and returns the first force that failed, or null:
     * a target's close goes on closing the rest and throws it at the end.
     */
    IOException stop() {
        if (thread == null) {
            return null;
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IOException("interrupted while stopping the baseline's forcer", e);
        }
        return failure;
    }
}
