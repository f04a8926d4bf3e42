package io.walrus.sync;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Flushes dirty files from a background thread at a fixed cadence. Writers never wait; a crash may
 * lose what was written since the last flush. A failed flush is reported once and ends the thread:
 * the log then refuses writes (fail-stop) instead of flushing again as if nothing had happened.
 */
final class PeriodicFlusher implements FlushPolicy {
    private final DirtyFiles files;
    private final long intervalNanos;
    private final FlushFailureListener onFailure;
    private final Thread thread;
    private volatile boolean running = true;

    PeriodicFlusher(DirtyFiles files, long intervalMillis, FlushFailureListener onFailure, String name) {
        this.files = files;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().daemon().name("walrus-flusher-" + name).start(this::run);
    }

    private void run() {
        long next = System.nanoTime() + intervalNanos;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            try {
                files.flush();
            } catch (IOException e) {
                onFailure.flushFailed(e);
                return;
            }
            // A flush slower than the interval does not queue up a burst of catch-up flushes.
            next = Math.max(next + intervalNanos, System.nanoTime());
        }
    }

    @Override
    public void afterWrite() {
        // Durability comes from the background thread.
    }

    /**
     * A flush now, beside the thread's: flushes of the same files may overlap (each returns once
     * what was written before it is forced). After a failure the thread stops, as after one of its
     * own: no later fsync could say whether the data the failed one dropped is safe.
     */
    @Override
    public void flushNow() throws IOException {
        try {
            files.flush();
        } catch (IOException e) {
            running = false;
            LockSupport.unpark(thread);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        files.flush();
    }
}
