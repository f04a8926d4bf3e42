package io.walrus.log;

import static io.walrus.log.RetentionFixture.append;
import static io.walrus.log.RetentionFixture.indexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How reads by sequence find their start ({@link SequenceReads}): callers that read on from where
 * they stopped never walk entry headers, even several at once on one topic; any other start walks
 * once and is then known; and reads in files that deletion takes meanwhile stay whole.
 */
class SequenceReadsTest {
    private static final String TOPIC = "a";
    private static final int ENTRIES = 1_000; // about 16 blocks, 4 files

    @TempDir
    Path dir;

    @Test
    void scannersReadingOnFromWhereTheyStoppedNeverWalk() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, TOPIC, 0, ENTRIES);
            long[] next = new long[5];
            int[] chunk = {1, 7, 63, 64, 200}; // 63 fill a block: reads end exactly at block ends too
            for (boolean more = true; more; ) {
                more = false;
                for (int c = 0; c < next.length; c++) { // five callers, interleaved, at their own pace
                    for (byte[] payload : log.readFrom(TOPIC, next[c], Long.MAX_VALUE, chunk[c])) {
                        assertEquals(next[c]++, indexOf(TOPIC, payload));
                    }
                    more |= next[c] < ENTRIES;
                }
            }
            assertEquals(0, log.sequenceReadWalks(), "every read started where one ended, or at the first entry");
            assertEquals(0, log.readFrom(TOPIC, ENTRIES, Long.MAX_VALUE, 10).size());
            assertEquals(0, log.sequenceReadWalks(), "a read at the end costs nothing");
        }
    }

    @Test
    void anArbitraryStartWalksOnceAndIsKnownFromThenOn() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, TOPIC, 0, ENTRIES);
            assertEquals(500, indexOf(TOPIC, log.readFrom(TOPIC, 500, Long.MAX_VALUE, 10).getFirst()));
            assertEquals(1, log.sequenceReadWalks());
            for (long s = 510; s < 600; s += 10) { // fewer reads than positions are kept
                assertEquals(s, indexOf(TOPIC, log.readFrom(TOPIC, s, Long.MAX_VALUE, 10).getFirst()));
            }
            assertEquals(500, indexOf(TOPIC, log.readFrom(TOPIC, 500, Long.MAX_VALUE, 10).getFirst()));
            assertEquals(1, log.sequenceReadWalks(), "the first start is remembered too");
            assertEquals(505, indexOf(TOPIC, log.readFrom(TOPIC, 505, Long.MAX_VALUE, 10).getFirst()));
            assertEquals(2, log.sequenceReadWalks(), "a start no read ended at walks (from the nearest known before it)");
            for (long s = 600; s < ENTRIES; s += 10) {
                assertEquals(s, indexOf(TOPIC, log.readFrom(TOPIC, s, Long.MAX_VALUE, 10).getFirst()));
            }
            assertEquals(2, log.sequenceReadWalks());
        }
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            for (long s = 700; s < 800; s += 20) {
                assertEquals(s, indexOf(TOPIC, log.readFrom(TOPIC, s, Long.MAX_VALUE, 20).getFirst()));
            }
            assertEquals(1, log.sequenceReadWalks(), "a reopened instance learns the position again, once");
        }
    }

    @Test
    void aCallerPollingTheEndKeepsItsPlaceWhileOthersReadOn() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, TOPIC, 0, 300);
            assertEquals(300, log.readFrom(TOPIC, 0, Long.MAX_VALUE, 2000).size()); // the poller, at the end
            long other = 0;
            for (int round = 0; round < 3 * KnownPositions.CAPACITY; round++) {
                assertEquals(0, log.readFrom(TOPIC, 300, Long.MAX_VALUE, 10).size());
                other += log.readFrom(TOPIC, other, Long.MAX_VALUE, 5).size();
            }
            append(log, TOPIC, 300, 301);
            assertEquals(300, indexOf(TOPIC, log.readFrom(TOPIC, 300, Long.MAX_VALUE, 10).getFirst()));
            assertEquals(0, log.sequenceReadWalks());
        }
    }

    @Test
    void readsInFilesThatDeletionTakesStayWholeAndContiguous() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (WriteAheadLog log = RetentionFixture.open(dir, 50)) {
            NamedConsumer consumer = log.consumer("drives-deletion", false);
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                append(log, TOPIC, 0, 3 * ENTRIES);
                return null;
            }));
            work.add(pool.submit(() -> {
                long next = 0;
                while (next < 3 * ENTRIES) {
                    for (byte[] payload : consumer.batchRead(TOPIC, 8 << 10, 2000, true, 0)) {
                        assertEquals(next++, indexOf(TOPIC, payload));
                    }
                }
                return null;
            }));
            Future<?> reader = pool.submit(() -> {
                long next = 0;
                while (!done.get()) {
                    List<byte[]> batch = log.readFrom(TOPIC, next, 16 << 10, 2000);
                    long first = batch.isEmpty() ? next : indexOf(TOPIC, batch.getFirst());
                    assertTrue(first >= next, "never before the start asked for: " + first + " < " + next);
                    for (int i = 0; i < batch.size(); i++) {
                        assertEquals(first + i, indexOf(TOPIC, batch.get(i)), "a read is contiguous");
                    }
                    next = first + batch.size();
                    reads.incrementAndGet();
                }
                return null;
            });
            Future<?> reclaimer = pool.submit(() -> {
                while (!done.get()) {
                    log.reclaimConsumedFiles();
                    Thread.onSpinWait();
                }
                return null;
            });
            for (Future<?> future : work) {
                future.get(120, TimeUnit.SECONDS);
            }
            done.set(true);
            reader.get(60, TimeUnit.SECONDS);
            reclaimer.get(60, TimeUnit.SECONDS);
            assertTrue(log.reclaimConsumedFiles() >= 0);
            assertTrue(reads.get() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void knownPositionsKeepTheMostRecentlyRememberedAndRenewOnlyWhenAsked() {
        KnownPositions known = new KnownPositions();
        ChainPosition at = new ChainPosition(null, null, 0, 0, 0);
        for (int i = 0; i < KnownPositions.CAPACITY + 3; i++) {
            known.remember(i * 10L, i, 100 + i);
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(!known.find(i * 10L, at), "the oldest made room: " + i);
        }
        assertTrue(known.find(50, at));
        assertEquals(5, at.blockNumber);
        assertEquals(105, at.offset);
        assertEquals(50, at.sequence);

        known.remember(30, 3, 103); // renewed: the oldest now is 40
        known.remember(1_000, 99, 7);
        assertTrue(known.find(30, at));
        assertTrue(!known.find(40, at));

        assertTrue(known.findBefore(57, 5, at), "the nearest known position before 57 in block 5");
        assertEquals(50, at.sequence);
        assertTrue(!known.findBefore(57, 6, at));
        assertTrue(!known.findBefore(50, 5, at), "strictly before");
    }
}
