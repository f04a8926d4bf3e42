package io.walrus.server;

import java.util.concurrent.TimeUnit;

/** A count that test threads raise and the test waits on (no sleeping, no spinning). */
final class Progress {
    private long count;

    synchronized void add(long n) {
        count += n;
        notifyAll();
    }

    synchronized long get() {
        return count;
    }

    /** Waits until the count reaches {@code target}; fails the test after {@code seconds}. */
    synchronized void awaitAtLeast(long target, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (count < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + seconds + " s for " + what + ": " + count + " of " + target);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
