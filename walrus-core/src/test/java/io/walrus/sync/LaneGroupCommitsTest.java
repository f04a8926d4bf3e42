package io.walrus.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sync-each with a group commit per file lane: an append is covered by a flush of its own lane,
 * which forces nothing of another lane, so a slow flush of one lane holds up only that lane's
 * writers; close flushes every lane.
 */
class LaneGroupCommitsTest {
    private static final int LANES = 3;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void anAppendIsFlushedByItsOwnLaneOnly() throws IOException {
        CountingLanes files = new CountingLanes();
        FlushPolicy policy = FlushPolicy.create(FlushPolicy.Kind.syncEach(), files, failure -> { }, "test");
        append(policy.lane(1));
        append(policy.lane(1));
        append(policy.lane(2));
        assertEquals("[0, 2, 1]", files.flushes.toString());
        assertEquals(0, files.wholeFlushes);
    }

    @Test
    void aSlowFlushOfOneLaneDoesNotHoldUpAnotherLanesAppends() throws Exception {
        CountingLanes files = new CountingLanes();
        files.blockLane0 = new CountDownLatch(1);
        FlushPolicy policy = FlushPolicy.create(FlushPolicy.Kind.syncEach(), files, failure -> { }, "test");
        Future<?> stuck = pool.submit(() -> append(policy.lane(0)));
        files.lane0Started.await();
        for (int i = 0; i < 10; i++) {
            append(policy.lane(1)); // returns while lane 0's flush is still running
        }
        assertFalse(stuck.isDone(), "lane 0's append returned before its own flush ended");
        assertEquals(10, files.flushes.get(1));
        files.blockLane0.countDown();
        stuck.get(10, TimeUnit.SECONDS);
        assertEquals(1, files.flushes.get(0));
    }

    @Test
    void closeFlushesEveryLaneEvenWhenOneFails() {
        CountingLanes files = new CountingLanes();
        files.failLane = 1;
        FlushPolicy policy = FlushPolicy.create(FlushPolicy.Kind.syncEach(), files, failure -> { }, "test");
        IOException failed = assertThrows(IOException.class, policy::close);
        assertSame(files.failure, failed);
        assertEquals("[1, 1, 1]", files.flushes.toString());
    }

    @Test
    void theOtherSchedulesCoverEveryLaneWithOnePolicy() {
        CountingLanes files = new CountingLanes();
        FlushPolicy onClose = FlushPolicy.create(FlushPolicy.Kind.onCloseOnly(), files, failure -> { }, "test");
        assertSame(onClose, onClose.lane(2));
    }

    private static Void append(FlushPolicy lane) throws IOException {
        lane.writeStarting();
        lane.afterWrite();
        return null;
    }

    /** Lanes that count their flushes; lane 0 can be made to wait, one lane to fail. */
    private static final class CountingLanes implements LanedFiles {
        final AtomicIntegerArray flushes = new AtomicIntegerArray(LANES);
        final CountDownLatch lane0Started = new CountDownLatch(1);
        final IOException failure = new IOException("fsync failed");
        volatile CountDownLatch blockLane0;
        volatile int failLane = -1;
        volatile int wholeFlushes;

        @Override
        public int lanes() {
            return LANES;
        }

        @Override
        public DirtyFiles lane(int lane) {
            return () -> {
                flushes.incrementAndGet(lane);
                if (lane == 0 && blockLane0 != null) {
                    lane0Started.countDown();
                    try {
                        blockLane0.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                if (lane == failLane) {
                    throw failure;
                }
            };
        }

        @Override
        public void flush() {
            wholeFlushes++;
        }
    }
}
