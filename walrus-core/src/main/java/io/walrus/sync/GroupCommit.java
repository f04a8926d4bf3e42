package io.walrus.sync;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Sync-each with group commit. Every completed write takes a ticket; a flush that starts after a
 * ticket was taken covers it, because the write's bytes were already in the page cache and the flush
 * forces every dirty file. A writer that finds no flush running leads one, covering every ticket
 * taken so far; writers that arrive meanwhile wait for the next. A lone writer therefore pays exactly
 * one fdatasync per append, with no hand-off to another thread and no delay.
 *
 * <p>Left at that, many writers split into two groups that take turns: the writers a flush releases
 * write again while the next flush, led by someone who missed the last one, has already started
 * without them, so each flush covers about half of the writers. A leader therefore first waits for
 * the writers of the last round to be back: until as many tickets are pending as there were writers
 * in the last round (those it covered and those that arrived during it), and no append is in the
 * middle of writing (announced by {@link #writeStarting()}). It waits at most half the duration of
 * the last flush: a writer that went away costs that once, and the next round counts without it. A
 * lone writer's round has one writer, itself, so it never waits.
 *
 * <p>One flush runs at a time: a second fdatasync of the same file does not overlap the first in the
 * kernel (measured: two in flight each took twice as long), so it would only split the group.
 *
 * <p>A failed flush is never retried as if the data were safe: every waiter, and every later
 * writer, gets an IOException (fail-stop), because after a failed fsync the kernel may have dropped
 * the dirty pages and a second fsync could report success for data that is gone.
 */
final class GroupCommit implements FlushPolicy {
    /** However slow the disk, a leader waits no longer than this for writes in progress. */
    static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final DirtyFiles files;
    private final LongSupplier clock;
    private final long maxGatherNanos;
    private final AtomicLong written = new AtomicLong();
    /** Appends between {@link #writeStarting()} and their ticket (or abandonment). */
    private final AtomicInteger writing = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private final Condition quiet = lock.newCondition();
    /** Every ticket up to this is on stable storage. Guarded by {@code lock}, as are the fields below. */
    private long durable;
    private boolean flushing;
    private boolean gathering;
    private long lastFlushNanos;
    /** Writers in the last round: tickets the last flush covered, plus those taken while it ran. */
    private long lastRoundWriters;
    private IOException failure;

    GroupCommit(DirtyFiles files) {
        this(files, System::nanoTime, MAX_GATHER_NANOS);
    }

    /** With the clock that times flushes and the longest wait for writes in progress; tests set both. */
    GroupCommit(DirtyFiles files, LongSupplier clock, long maxGatherNanos) {
        this.files = files;
        this.clock = clock;
        this.maxGatherNanos = maxGatherNanos;
    }

    @Override
    public void writeStarting() {
        writing.incrementAndGet();
    }

    @Override
    public void writeAbandoned() {
        writing.decrementAndGet();
        lock.lock();
        try {
            wakeGatherer();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void afterWrite() throws IOException {
        long ticket = written.incrementAndGet();
        writing.decrementAndGet();
        lock.lock();
        try {
            wakeGatherer();
            awaitDurable(ticket, "this append is");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every append that returned is durable already (that is what sync-each means); this waits, and
     * leads a round if none runs, for those that took their tickets and still wait for a flush.
     */
    @Override
    public void flushNow() throws IOException {
        lock.lock();
        try {
            awaitDurable(written.get(), "the appends waiting for it are");
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: returns once every ticket up to {@code ticket} is durable, leading flushes as needed. */
    private void awaitDurable(long ticket, String what) throws IOException {
        while (durable < ticket) {
            if (failure != null) {
                throw new IOException("a flush failed (" + failure.getMessage()
                        + "), so " + what + " not known to be durable", failure);
            }
            if (flushing) {
                flushed.awaitUninterruptibly();
            } else {
                leadFlush();
            }
        }
    }

    /**
     * Called and returns with the lock held; releases it for the flush itself. Every ticket taken
     * before the flush started is durable once it succeeds; a failure is kept for every waiter.
     */
    private IOException leadFlush() {
        flushing = true;
        gatherWritesInProgress();
        long target = written.get();
        lock.unlock();
        IOException error = null;
        long started = clock.getAsLong();
        try {
            files.flush();
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
        }
        lastFlushNanos = clock.getAsLong() - started;
        flushing = false;
        if (error != null) {
            if (failure == null) {
                failure = error;
            }
        } else {
            lastRoundWriters = written.get() - durable;
            durable = Math.max(durable, target);
        }
        flushed.signalAll();
        return error;
    }

    /**
     * With the lock held: lets the last round's writers take their tickets, and appends that are
     * mid-write finish, before the flush starts; for at most half the last flush's duration.
     */
    private void gatherWritesInProgress() {
        long remaining = Math.min(lastFlushNanos / 2, maxGatherNanos);
        if (remaining <= 0 || everyoneIsIn()) {
            return;
        }
        boolean interrupted = false;
        gathering = true;
        try {
            while (!everyoneIsIn() && remaining > 0) {
                try {
                    remaining = quiet.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    interrupted = true;
                    remaining = 0;
                }
            }
        } finally {
            gathering = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** With the lock held: a ticket was taken or a write abandoned, so a gathering leader looks again. */
    private void wakeGatherer() {
        if (gathering) {
            quiet.signal();
        }
    }

    /** Whether the last round's writers are all waiting again and nobody is in the middle of a write. */
    private boolean everyoneIsIn() {
        return written.get() - durable >= lastRoundWriters && writing.get() <= 0;
    }

    /** Whether a leader is waiting for writes in progress before it flushes; for tests. */
    boolean gathering() {
        lock.lock();
        try {
            return gathering;
        } finally {
            lock.unlock();
        }
    }

    /** Writers waiting for a flush to cover them; for tests and statistics. */
    int waitingWriters() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(flushed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The final flush: waits for a flush in progress, then flushes once more on behalf of every
     * writer still waiting, so an append that raced with close is acknowledged by this flush.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            IOException error = leadFlush();
            if (error != null) {
                throw error;
            }
        } finally {
            lock.unlock();
        }
    }
}
