package io.walrus.log;

import static io.walrus.log.RetentionFixture.append;
import static io.walrus.log.RetentionFixture.indexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are deleted under readers that are in the middle of them: two named consumers drive
 * deletion, while the default consumer, which never checkpoints and so does not count, keeps
 * peeking (single and batch reads) at blocks that are being dropped and files that are being
 * deleted. Every entry handed out is checked byte for byte; no read may fail or return garbage.
 */
class ReadsDuringDeletionTest {
    private static final int ENTRIES = 3_000;

    @TempDir
    Path dir;

    @Test
    void readersInDeletedFilesNeverSeeFreedDataAndConsumersSeeEveryEntryOnce() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger deleted = new AtomicInteger();
        AtomicInteger peeks = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try (WriteAheadLog log = RetentionFixture.open(dir, 50)) { // cursors persisted every 50 checkpoints
            NamedConsumer batches = log.consumer("batches", false);
            NamedConsumer singles = log.consumer("singles", false);
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                append(log, "a", 0, ENTRIES);
                return null;
            }));
            work.add(pool.submit(() -> {
                long next = 0;
                while (next < ENTRIES) {
                    for (byte[] payload : batches.batchRead("a", 8 << 10, 2000, true, 0)) {
                        assertEquals(next++, indexOf("a", payload));
                    }
                }
                return null;
            }));
            work.add(pool.submit(() -> {
                long next = 0;
                while (next < ENTRIES) {
                    byte[] payload = singles.readNext("a", true, 0);
                    if (payload != null) {
                        assertEquals(next++, indexOf("a", payload));
                    }
                }
                return null;
            }));
            Future<?> peeker = pool.submit(() -> {
                while (!done.get()) {
                    byte[] one = log.readNext("a", false);
                    if (one != null) {
                        indexOf("a", one);
                    }
                    long previous = -1;
                    for (byte[] payload : log.batchRead("a", 64 << 10, 2000, false)) {
                        long i = indexOf("a", payload);
                        assertTrue(previous < 0 || i == previous + 1, "a batch is contiguous: " + previous + ", " + i);
                        previous = i;
                    }
                    peeks.incrementAndGet();
                }
                return null;
            });
            Future<?> reclaimer = pool.submit(() -> {
                while (!done.get()) {
                    deleted.addAndGet(log.reclaimConsumedFiles());
                    Thread.onSpinWait();
                }
                return null;
            });
            for (Future<?> future : work) {
                future.get();
            }
            done.set(true);
            peeker.get();
            reclaimer.get();
            deleted.addAndGet(log.reclaimConsumedFiles());
        } finally {
            pool.shutdownNow();
        }
        int files = ENTRIES / RetentionFixture.PER_FILE;
        assertTrue(deleted.get() >= files - 1, "every full file was deleted: " + deleted.get() + " of " + files);
        assertTrue(peeks.get() > 0);
    }
}
