package io.walrus.bench.workload;

import java.util.concurrent.CountDownLatch;

/**
 * Starts a phase's threads together and tells them when to stop: at the deadline, or at once when
 * any of them fails. Writers read the deadline once and compare it with the {@code nanoTime} they
 * take for latency anyway, so stopping on time costs the loop nothing extra.
 */
public final class PhaseClock {
    private final CountDownLatch startSignal = new CountDownLatch(1);
    private long startNanos;
    private long deadlineNanos;
    private volatile Throwable failure;

    /** Sets the deadline {@code durationNanos} from now and releases every waiting thread. */
    public long start(long durationNanos) {
        startNanos = System.nanoTime();
        deadlineNanos = startNanos + durationNanos;
        startSignal.countDown(); // publishes the two fields to the threads that await
        return startNanos;
    }

    /** Blocks until {@link #start(long)}; returns the deadline. */
    public long awaitStart() throws InterruptedException {
        startSignal.await();
        return deadlineNanos;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Records the first failure; every writer stops at its next check. */
    public void fail(Throwable cause) {
        synchronized (this) {
            if (failure == null) {
                failure = cause;
            } else if (failure != cause) {
                failure.addSuppressed(cause);
            }
        }
    }

    /** Whether a writer has failed: the phase ends early. */
    public boolean failed() {
        return failure != null;
    }

    /** The first failure, or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Waits for every thread of a phase, at most until {@code giveUpNanos} (System.nanoTime); a thread
     * still running then fails the phase. Returns the time the wait ended.
     */
    public long joinAll(Thread[] threads, long giveUpNanos, long graceNanos) {
        for (Thread thread : threads) {
            long remaining = giveUpNanos - System.nanoTime();
            try {
                if (remaining <= 0 || !thread.join(java.time.Duration.ofNanos(remaining))) {
                    fail(new java.io.IOException(thread.getName() + " did not stop within "
                            + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(graceNanos) + " s of the deadline"));
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
                break;
            }
        }
        return System.nanoTime();
    }
}
