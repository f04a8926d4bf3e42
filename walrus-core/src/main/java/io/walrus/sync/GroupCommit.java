package io.walrus.sync;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sync-each with group commit. Every completed write takes a ticket; a flush that starts after a
 * ticket was taken covers it, because the write's bytes were already in the page cache and the flush
 * forces every dirty file. The first writer to find no flush running leads one, covering every
 * ticket taken so far; writers that arrive meanwhile wait for the next. A lone writer therefore pays
 * exactly one fdatasync per append, with no hand-off to another thread; many writers share them.
 *
 * <p>A failed flush is never retried as if the data were safe: every waiter, and every later
 * writer, gets an IOException (fail-stop), because after a failed fsync the kernel may have dropped
 * the dirty pages and a second fsync could report success for data that is gone.
 */
final class GroupCommit implements FlushPolicy {
    private final DirtyFiles files;
    private final AtomicLong written = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private long durable;
    private boolean flushing;
    private IOException failure;

    GroupCommit(DirtyFiles files) {
        this.files = files;
    }

    @Override
    public void afterWrite() throws IOException {
        long ticket = written.incrementAndGet();
        lock.lock();
        try {
            while (durable < ticket) {
                if (failure != null) {
                    throw new IOException("a flush failed, so this append is not known to be durable", failure);
                }
                if (flushing) {
                    flushed.awaitUninterruptibly();
                } else {
                    leadFlush();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called and returns with the lock held; releases it for the flush itself. Every ticket taken
     * before the flush started is durable once it succeeds; a failure is kept for every waiter.
     */
    private IOException leadFlush() {
        flushing = true;
        long target = written.get();
        lock.unlock();
        IOException error = null;
        try {
            files.flush();
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
        }
        flushing = false;
        if (error != null) {
            failure = error;
        } else {
            durable = Math.max(durable, target);
        }
        flushed.signalAll();
        return error;
    }

    /**
     * The final flush: waits for a flush in progress, then flushes once more on behalf of every writer
     * still waiting, so an append that raced with close is acknowledged by this flush.
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
