package io.walrus.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlushPolicy#flushNow()} under each schedule, against a flush the test counts: the
 * schedules that do not flush on their own flush now; group commit flushes only for appends still
 * waiting (every one that returned is durable already); a failure is final for every policy.
 */
class FlushNowTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger flushes = new AtomicInteger();
    /** Whether the flushes the test thread itself makes fail (background flushes never do). */
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Thread testThread = Thread.currentThread();
    private final DirtyFiles files = () -> {
        flushes.incrementAndGet();
        if (failing.get() && Thread.currentThread() == testThread) {
            throw new IOException("injected fsync failure");
        }
    };

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void onCloseOnlyFlushesNowWhenAsked() throws IOException {
        FlushPolicy policy = FlushPolicy.create(FlushPolicy.Kind.onCloseOnly(), files, failure -> { }, "test");
        policy.afterWrite();
        assertEquals(0, flushes.get());
        policy.flushNow();
        policy.flushNow();
        assertEquals(2, flushes.get());
        policy.close();
    }

    @Test
    void aFailedFlushNowStopsThePeriodicFlusher() throws Exception {
        FlushPolicy policy = FlushPolicy.create(FlushPolicy.Kind.every(3_600_000), files, failure -> { }, "test");
        policy.flushNow();
        assertEquals(1, flushes.get(), "the hour has not come: only the flush asked for");
        policy.close();

        FlushPolicy frequent = FlushPolicy.create(FlushPolicy.Kind.every(2), files, failure -> { }, "test");
        failing.set(true);
        IOException failed = assertThrows(IOException.class, frequent::flushNow);
        assertEquals("injected fsync failure", failed.getMessage());
        int atFailure = flushes.get();
        failing.set(false);
        Thread.sleep(50); // the flusher, whose own flushes succeed, would have flushed about twenty times more
        assertTrue(flushes.get() <= atFailure + 1,
                "at most a background flush already under way: " + (flushes.get() - atFailure));
        frequent.close();
    }

    @Test
    void underGroupCommitReturnedAppendsAreDurableAlreadyAndWaitingOnesAreFlushed() throws Exception {
        GroupCommit commit = new GroupCommit(files);
        commit.writeStarting();
        commit.afterWrite();
        assertEquals(1, flushes.get());
        commit.flushNow();
        assertEquals(1, flushes.get(), "nothing is waiting: nothing to flush");

        CountDownLatch inFlush = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit gated = new GroupCommit(() -> {
            inFlush.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        });
        Future<?> append = pool.submit(() -> {
            gated.writeStarting();
            gated.afterWrite();
            return null;
        });
        inFlush.await(10, TimeUnit.SECONDS);
        Future<?> flush = pool.submit(() -> {
            gated.flushNow();
            return null;
        });
        Thread.sleep(50);
        assertFalse(flush.isDone(), "waits for the round covering the append in flight");
        release.countDown();
        append.get(10, TimeUnit.SECONDS);
        flush.get(10, TimeUnit.SECONDS);
    }

    @Test
    void underGroupCommitAFailedRoundFailsAFlushNowThatNeedsIt() throws Exception {
        CountDownLatch inFlush = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit commit = new GroupCommit(() -> {
            inFlush.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            throw new IOException("injected fsync failure");
        });
        Future<?> append = pool.submit(() -> {
            commit.writeStarting();
            commit.afterWrite();
            return null;
        });
        inFlush.await(10, TimeUnit.SECONDS);
        Future<?> flush = pool.submit(() -> {
            commit.flushNow();
            return null;
        });
        Thread.sleep(20);
        release.countDown();
        Exception failed = assertThrows(Exception.class, () -> flush.get(10, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("injected fsync failure"), failed.getCause().getMessage());
        assertThrows(Exception.class, () -> append.get(10, TimeUnit.SECONDS));
    }
}
