package io.walrus.bench.target;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Forces a set of files (or whatever a peer flushes: a WAL, a log, a mapping) every interval from
 * one background thread: the baselines' and peers' counterpart of Walrus's
 * {@code FsyncSchedule.milliseconds(n)} flusher.
 */
final class PeriodicForcer implements AutoCloseable {
    /** One thing to make durable: {@code channel.force(false)}, {@code db.flushWal(true)}, ... */
    @FunctionalInterface
    interface Forceable {
        void force() throws IOException;
    }

    private final long intervalNanos;
    private final List<Forceable> targets = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IOException failure;

    PeriodicForcer(long intervalMillis) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = Thread.ofPlatform().name("baseline-forcer").daemon().start(this::forceUntilClosed);
    }

    void register(Forceable target) {
        targets.add(target);
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

    /** Stops the thread after any force in progress and reports the first force that failed. */
    @Override
    public void close() throws IOException {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the baseline's forcer", e);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
