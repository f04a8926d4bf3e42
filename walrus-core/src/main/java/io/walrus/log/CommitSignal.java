package io.walrus.log;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where waiting reads park until something is committed: one per topic (signalled by its writer after
 * each append) and one per instance for topics that do not exist yet (signalled when a topic is
 * created). A writer pays one volatile read per commit while nobody waits.
 *
 * <p>Why no wake-up is lost. A waiter registers (increments {@link #waiters} under {@link #lock}), then
 * checks, still under the lock, whether what it waits for is there, and only then parks on the
 * condition, which releases the lock atomically. For a topic's commits the check first takes and
 * releases the topic writer's lock ({@link TopicWriter#awaitIdle()}); the writer publishes, releases
 * that lock, and then reads {@code waiters}. Locks are taken in one total order, so either the
 * waiter's turn on the writer lock came after the commit (the commit happens-before the check, which
 * sees it) or before it (the registration happens-before the writer's read of {@code waiters}, which
 * is then non-zero, and the writer's {@link #signalAll()} must wait for the waiter to release this
 * lock, that is, to be parked). Signals that need no fast path ({@link #signalAll()}: topic
 * creation, close) always take the lock, and the same argument holds with this lock alone.
 */
final class CommitSignal {
    /** What a waiter waits for. May throw IllegalStateException (the instance closed, the consumer went). */
    @FunctionalInterface
    interface Readiness {
        boolean ready();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Written only under {@link #lock}; volatile so the writer's unlocked read sees registrations. */
    private volatile int waiters;

    /** The writer's side, after it released its lock: one volatile read while nobody waits. */
    void signalIfWaiting() {
        if (waiters != 0) {
            signalAll();
        }
    }

    /** Wakes every waiter, who then checks again. */
    void signalAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code readiness} holds or {@code nanos} pass.
     *
     * @return whether it holds
     * @throws InterruptedIOException if the thread is interrupted while waiting (its interrupt status is kept)
     */
    boolean await(Readiness readiness, long nanos) throws InterruptedIOException {
        lock.lock();
        try {
            waiters++;
            try {
                long remaining = nanos;
                while (!readiness.ready()) {
                    if (remaining <= 0) {
                        return false;
                    }
                    remaining = changed.awaitNanos(remaining);
                }
                return true;
            } finally {
                waiters--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting for an entry");
            interrupted.initCause(e);
            throw interrupted;
        } finally {
            lock.unlock();
        }
    }
}
