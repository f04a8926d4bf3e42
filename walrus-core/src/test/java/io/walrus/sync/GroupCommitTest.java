package io.walrus.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit's promises, against a flush the test controls: an append returns only after a
 * flush that started after it finished; a lone writer pays one flush per append; one flush runs at a
 * time and a leader lets appends that are mid-write join it; a failed flush fails every append it was
 * to cover, and every later one.
 */
class GroupCommitTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aLoneWriterPaysExactlyOneFlushPerAppend() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        GroupCommit commit = new GroupCommit(flushes::incrementAndGet);
        for (int i = 1; i <= 100; i++) {
            commit.writeStarting();
            commit.afterWrite();
            assertEquals(i, flushes.get());
        }
    }

    @Test
    void anAppendWaitsForAFlushThatStartedAfterIt() throws Exception {
        GatedFlush gate = new GatedFlush();
        GroupCommit commit = new GroupCommit(gate);
        Future<?> first = pool.submit(() -> afterWrite(commit));
        gate.awaitStarted();                      // flush 1 covers the first append only
        Future<?> second = pool.submit(() -> afterWrite(commit));
        gate.release();                           // flush 1 completes
        first.get(10, TimeUnit.SECONDS);
        gate.awaitStarted();                      // the second append needs a flush of its own
        assertFalse(second.isDone(), "released by a flush that started before its write");
        gate.release();
        second.get(10, TimeUnit.SECONDS);
        assertEquals(2, gate.started.get());
    }

    @Test
    void onlyOneFlushRunsAtATime() throws Exception {
        GatedFlush gate = new GatedFlush();
        GroupCommit commit = new GroupCommit(gate);
        List<Future<?>> appends = new ArrayList<>();
        appends.add(pool.submit(() -> afterWrite(commit)));
        gate.awaitStarted();
        for (int i = 0; i < 7; i++) {
            appends.add(pool.submit(() -> afterWrite(commit)));
        }
        awaitWaitingWriters(commit, 7);
        gate.releaseForever();
        for (Future<?> append : appends) {
            append.get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, gate.maxRunning.get());
    }

    @Test
    void aLeaderWaitsForAnAppendThatIsMidWriteSoOneFlushCoversBoth() throws Exception {
        GatedFlush gate = new GatedFlush();
        GroupCommit commit = patientCommit(gate);
        Future<?> first = pool.submit(() -> afterWrite(commit));
        gate.awaitStarted();
        Future<?> second = pool.submit(() -> afterWrite(commit));
        awaitWaitingWriters(commit, 1);
        commit.writeStarting();                    // a third append is writing its bytes
        gate.releaseForever();                      // flush 1 ends; the second append leads flush 2
        first.get(10, TimeUnit.SECONDS);
        awaitGathering(commit);
        assertEquals(1, gate.started.get(), "flush 2 waits for the write in progress");
        commit.afterWrite();                        // the third append's bytes are written
        second.get(10, TimeUnit.SECONDS);
        assertEquals(2, gate.started.get(), "flush 2 covered the second and third appends");
    }

    @Test
    void aLeaderWaitsForTheWritersItsLastFlushReleasedToComeBack() throws Exception {
        GatedFlush gate = new GatedFlush();
        GroupCommit commit = patientCommit(gate);
        Future<?> first = pool.submit(() -> afterWrite(commit));
        gate.awaitStarted();
        Future<?> second = pool.submit(() -> afterWrite(commit));
        awaitWaitingWriters(commit, 1);
        gate.releaseForever();                      // flush 1 covered the first writer; the second leads flush 2
        first.get(10, TimeUnit.SECONDS);
        awaitGathering(commit);
        assertEquals(1, gate.started.get(), "flush 2 waits: the first writer was in the last round");
        Future<?> firstAgain = pool.submit(() -> afterWrite(commit));   // the first writer's next append
        second.get(10, TimeUnit.SECONDS);
        firstAgain.get(10, TimeUnit.SECONDS);
        assertEquals(2, gate.started.get(), "flush 2 covered both writers");
    }

    @Test
    void anAbandonedWriteDoesNotHoldUpTheFlush() throws Exception {
        GatedFlush gate = new GatedFlush();
        GroupCommit commit = patientCommit(gate);
        Future<?> first = pool.submit(() -> afterWrite(commit));
        gate.awaitStarted();
        Future<?> second = pool.submit(() -> afterWrite(commit));
        awaitWaitingWriters(commit, 1);
        commit.writeStarting();                     // a third append starts writing
        gate.releaseForever();
        first.get(10, TimeUnit.SECONDS);
        Future<?> firstAgain = pool.submit(() -> afterWrite(commit));
        awaitWaitingWriters(commit, 1);             // the first writer is back and waits
        assertEquals(1, gate.started.get(), "flush 2 still waits for the append in the middle of writing");
        commit.writeAbandoned();                    // e.g. its topic was busy: nothing to wait for
        second.get(10, TimeUnit.SECONDS);
        firstAgain.get(10, TimeUnit.SECONDS);
        assertEquals(2, gate.started.get());
    }

    @Test
    void aFailedFlushFailsTheAppendsItCoveredAndEveryLaterOne() throws Exception {
        GatedFlush gate = new GatedFlush();
        GroupCommit commit = new GroupCommit(gate);
        Future<?> covered = pool.submit(() -> afterWrite(commit));
        gate.awaitStarted();
        Future<?> waiting = pool.submit(() -> afterWrite(commit));
        gate.fail(new IOException("injected EIO"));
        assertTrue(failureOf(covered).getMessage().contains("injected EIO"));
        assertTrue(failureOf(waiting).getMessage().contains("not known to be durable"));
        IOException later = assertThrows(IOException.class, () -> afterWrite(commit));
        assertTrue(later.getMessage().contains("not known to be durable"));
        assertEquals(1, gate.started.get(), "the failed flush is never retried");
    }

    @Test
    void manyWritersShareFlushes() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        CountDownLatch inFlush = new CountDownLatch(1);
        CountDownLatch othersWrote = new CountDownLatch(1);
        GroupCommit commit = new GroupCommit(() -> {
            if (flushes.incrementAndGet() == 1) {
                inFlush.countDown();
                await(othersWrote);
            }
        });
        Future<?> leader = pool.submit(() -> afterWrite(commit));
        inFlush.await();
        List<Future<?>> followers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            followers.add(pool.submit(() -> afterWrite(commit)));
        }
        // The first flush ends only once all fifteen have written and wait for the next one.
        awaitWaitingWriters(commit, 15);
        othersWrote.countDown();
        leader.get(10, TimeUnit.SECONDS);
        for (Future<?> follower : followers) {
            follower.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, flushes.get(), "one flush for the leader, one for the fifteen that wrote during it");
    }

    /** Each flush seems to take an hour, so a leader may wait for writers up to the test's limit of a minute. */
    private static GroupCommit patientCommit(GatedFlush gate) {
        AtomicLong now = new AtomicLong();
        return new GroupCommit(gate, () -> now.addAndGet(TimeUnit.HOURS.toNanos(1)), TimeUnit.MINUTES.toNanos(1));
    }

    private static void awaitWaitingWriters(GroupCommit commit, int writers) {
        while (commit.waitingWriters() < writers) {
            Thread.onSpinWait();
        }
    }

    private static void awaitGathering(GroupCommit commit) {
        while (!commit.gathering()) {
            Thread.onSpinWait();
        }
    }

    private static IOException failureOf(Future<?> append) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> append.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(IOException.class, failed.getCause());
    }

    private static Void afterWrite(GroupCommit commit) throws IOException {
        commit.writeStarting();
        commit.afterWrite();
        return null;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A flush that starts when asked and ends when the test says, one at a time or all at once. */
    private static final class GatedFlush implements DirtyFiles {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        private final BlockingQueue<Object> starts = new LinkedBlockingQueue<>();
        private final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
        private volatile boolean open;
        private static final Object DONE = new Object();

        @Override
        public void flush() throws IOException {
            started.incrementAndGet();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            starts.add(DONE);
            try {
                Object outcome = open ? DONE : outcomes.take();
                if (outcome instanceof IOException failure) {
                    throw failure;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } finally {
                running.decrementAndGet();
            }
        }

        void awaitStarted() throws InterruptedException {
            starts.take();
        }

        void release() {
            outcomes.add(DONE);
        }

        void fail(IOException failure) {
            outcomes.add(failure);
        }

        void releaseForever() {
            open = true;
            for (int i = 0; i < 64; i++) {
                outcomes.add(DONE);
            }
        }
    }
}
