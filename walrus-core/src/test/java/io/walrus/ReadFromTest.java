package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.Payloads;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Walrus#readFrom}: entries by sequence for readers that keep their own positions. Topics
 * are written with 64 KiB blocks and four blocks a file, single appends and batches mixed, so the
 * starts asked for fall at block and file boundaries and inside batches.
 */
class ReadFromTest {
    private static final String TOPIC = "replicated";

    @TempDir
    Path dir;

    @Test
    void everyStartSequenceAcrossBlocksAndFilesGivesExactlyTheEntriesFromThere() throws IOException {
        try (Walrus wal = open()) {
            List<byte[]> written = appendMixed(wal, TOPIC, 700, new Random(1));
            TopicStats stats = wal.stats().topic(TOPIC).orElseThrow();
            assertTrue(stats.blocks() >= 6, "the topic spans blocks: " + stats);
            assertTrue(wal.stats().files() >= 2, "and files: " + wal.stats());

            // In order, then in a random order, so that most starts are found by walking, not remembered.
            List<Integer> starts = new ArrayList<>();
            for (int s = 0; s <= written.size(); s++) {
                starts.add(s);
            }
            for (int round = 0; round < 2; round++) {
                for (int s : starts) {
                    assertEntries(written, s, Math.min(written.size(), s + 7), wal.readFrom(TOPIC, s, Long.MAX_VALUE, 7));
                    assertEntries(written, s, written.size(), wal.readFrom(TOPIC, s, Long.MAX_VALUE, 2000));
                }
                Collections.shuffle(starts, new Random(2));
            }
        }
    }

    @Test
    void payloadBytesAndEntryCountBoundTheReadAndTheFirstEntryAlwaysComes() throws IOException {
        try (Walrus wal = open()) {
            List<byte[]> written = appendMixed(wal, TOPIC, 400, new Random(3));
            Random random = new Random(4);
            for (int i = 0; i < 2000; i++) {
                int start = random.nextInt(written.size());
                long maxBytes = random.nextInt(4) == 0 ? random.nextInt(100) : random.nextInt(40_000);
                int maxEntries = 1 + random.nextInt(random.nextBoolean() ? 10 : Walrus.MAX_BATCH_ENTRIES);
                int end = start + 1; // the first entry whatever its size
                long bytes = written.get(start).length;
                while (end < written.size() && end - start < maxEntries && bytes + written.get(end).length <= maxBytes) {
                    bytes += written.get(end++).length;
                }
                assertEntries(written, start, end, wal.readFrom(TOPIC, start, maxBytes, maxEntries));
            }
            assertEquals(1, wal.readFrom(TOPIC, 5, 0, 2000).size(), "maxBytes 0 still gives the entry there");
        }
    }

    @Test
    void readsByPositionMoveNoCursorNowOrAfterAReopen() throws IOException {
        List<byte[]> written;
        try (Walrus wal = open()) {
            written = appendMixed(wal, TOPIC, 300, new Random(5));
            Consumer indexer = wal.consumer("indexer");
            wal.readNext(TOPIC, true).orElseThrow();
            wal.readNext(TOPIC, true).orElseThrow();
            indexer.readNext(TOPIC, true).orElseThrow();
            for (long s = 0; s < written.size(); ) {
                s += wal.readFrom(TOPIC, s, 4096, 50).size();
            }
            wal.readFrom(TOPIC, 123, Long.MAX_VALUE, 2000);

            assertArrayEquals(written.get(2), wal.readNext(TOPIC, false).orElseThrow().data());
            assertArrayEquals(written.get(1), indexer.readNext(TOPIC, false).orElseThrow().data());
            assertEquals(2, wal.stats().topic(TOPIC).orElseThrow().cursor());
        }
        try (Walrus wal = open()) {
            assertEquals(2, wal.stats().topic(TOPIC).orElseThrow().cursor(), "the persisted cursor is unchanged");
            assertArrayEquals(written.get(2), wal.readNext(TOPIC, false).orElseThrow().data());
            assertArrayEquals(written.get(1), wal.consumer("indexer").readNext(TOPIC, false).orElseThrow().data());
        }
    }

    @Test
    void positionsAreFoundAgainAfterAReopen() throws IOException {
        List<byte[]> written;
        try (Walrus wal = open()) {
            written = appendMixed(wal, TOPIC, 500, new Random(6));
            assertEntries(written, 250, 260, wal.readFrom(TOPIC, 250, Long.MAX_VALUE, 10));
        }
        try (Walrus wal = open()) {
            assertEntries(written, 260, 270, wal.readFrom(TOPIC, 260, Long.MAX_VALUE, 10));
            assertEntries(written, 270, 280, wal.readFrom(TOPIC, 270, Long.MAX_VALUE, 10));
            assertEntries(written, 3, 13, wal.readFrom(TOPIC, 3, Long.MAX_VALUE, 10));
            List<byte[]> more = appendMixed(wal, TOPIC, 20, new Random(7));
            written.addAll(more);
            assertEquals(520, wal.stats().topic(TOPIC).orElseThrow().nextSequence());
        }
        try (Walrus wal = open()) {
            for (int s = 0; s < 520; s += 37) {
                assertEntries(written, s, Math.min(520, s + 40), wal.readFrom(TOPIC, s, Long.MAX_VALUE, 40));
            }
        }
    }

    @Test
    void anUnknownTopicAndStartsAtOrBeyondTheEndGiveNothing() throws IOException {
        try (Walrus wal = open()) {
            assertEquals(List.of(), wal.readFrom("nobody-wrote-this", 0, Long.MAX_VALUE, 2000));
            List<byte[]> written = appendMixed(wal, TOPIC, 50, new Random(8));
            assertEquals(List.of(), wal.readFrom(TOPIC, written.size(), Long.MAX_VALUE, 2000));
            assertEquals(List.of(), wal.readFrom(TOPIC, written.size() + 1, Long.MAX_VALUE, 2000));
            assertEquals(List.of(), wal.readFrom(TOPIC, Long.MAX_VALUE, Long.MAX_VALUE, 2000));
            // The end read before an append is where the append is read from.
            wal.appendForTopic(TOPIC, "next".getBytes(UTF_8));
            assertEquals("next", new String(wal.readFrom(TOPIC, written.size(), 100, 10).getFirst().data(), UTF_8));
            assertEquals(List.of(), wal.readFrom("nobody-wrote-this", 0, Long.MAX_VALUE, 2000), "no topic was created");
            assertTrue(wal.stats().topic("nobody-wrote-this").isEmpty());
        }
    }

    @Test
    void aStartThatDeletionTookReadsFromTheEarliestRetainedEntry() throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).deleteConsumedFilesEvery(Duration.ZERO).open()) {
            List<byte[]> written = appendMixed(wal, TOPIC, 800, new Random(9));
            wal.batchReadForTopic(TOPIC, Long.MAX_VALUE, true);
            assertTrue(wal.deleteConsumedFiles() > 0, "the default consumer's checkpoints let files go");
            TopicStats stats = wal.stats().topic(TOPIC).orElseThrow();
            int earliest = (int) (stats.nextSequence() - stats.entries());
            assertTrue(earliest > 0, stats.toString());
            assertEntries(written, earliest, earliest + 5, wal.readFrom(TOPIC, 0, Long.MAX_VALUE, 5));
            assertEntries(written, earliest, earliest + 5, wal.readFrom(TOPIC, earliest - 1, Long.MAX_VALUE, 5));
            assertEntries(written, earliest + 5, earliest + 10, wal.readFrom(TOPIC, earliest + 5, Long.MAX_VALUE, 5));
        }
    }

    @Test
    void scannersReadingByPositionDuringAppendsSeeEveryEntryOnceInOrder() throws Exception {
        int entries = 6_000;
        int scanners = 4;
        ExecutorService pool = Executors.newFixedThreadPool(scanners + 1);
        try (Walrus wal = open()) {
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                Random random = new Random(10);
                for (int i = 0; i < entries; ) {
                    int size = random.nextInt(4) == 0 ? Math.min(entries - i, 1 + random.nextInt(60)) : 1;
                    List<byte[]> batch = new ArrayList<>();
                    for (int j = 0; j < size; j++) {
                        batch.add(Payloads.entry(TOPIC, i + j));
                    }
                    if (size == 1) {
                        wal.appendForTopic(TOPIC, batch.getFirst());
                    } else {
                        wal.batchAppendForTopic(TOPIC, batch);
                    }
                    i += size;
                }
                return null;
            }));
            for (int t = 0; t < scanners; t++) {
                long maxBytes = 2_000L << t;
                work.add(pool.submit(() -> {
                    long next = 0;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (next < entries) {
                        List<Entry> read = wal.readFrom(TOPIC, next, maxBytes, 100);
                        for (Entry entry : read) {
                            assertEquals(next, Payloads.indexOf(entry.data()), "entries in order, none twice or skipped");
                            assertArrayEquals(Payloads.entry(TOPIC, next), entry.data());
                            next++;
                        }
                        if (read.isEmpty()) {
                            if (System.nanoTime() > deadline) {
                                fail("the scanner stalled at " + next);
                            }
                            Thread.onSpinWait();
                        }
                    }
                    assertEquals(List.of(), wal.readFrom(TOPIC, next, maxBytes, 100));
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(120, TimeUnit.SECONDS);
            }
            assertEquals(0, wal.stats().topic(TOPIC).orElseThrow().cursor());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingHappensAndTheInstanceGoesOn() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic(TOPIC, "one".getBytes(UTF_8));
            rejected(NullPointerException.class, "topic", () -> wal.readFrom(null, 0, 100, 10));
            rejected(IllegalArgumentException.class, "topic", () -> wal.readFrom("", 0, 100, 10));
            rejected(IllegalArgumentException.class, "fromSequence must not be negative, fromSequence=-1",
                    () -> wal.readFrom(TOPIC, -1, 100, 10));
            rejected(IllegalArgumentException.class, "maxBytes=-1", () -> wal.readFrom(TOPIC, 0, -1, 10));
            rejected(IllegalArgumentException.class, "maxEntries=0", () -> wal.readFrom(TOPIC, 0, 100, 0));
            rejected(IllegalArgumentException.class, "maxEntries=2001",
                    () -> wal.readFrom(TOPIC, 0, 100, Walrus.MAX_BATCH_ENTRIES + 1));
            rejected(IllegalArgumentException.class, "maxEntries=-5", () -> wal.readFrom(TOPIC, 0, 100, -5));
            assertEquals("one", new String(wal.readFrom(TOPIC, 0, 100, Walrus.MAX_BATCH_ENTRIES).getFirst().data(), UTF_8));
            assertEquals("one", new String(wal.readNext(TOPIC, true).orElseThrow().data(), UTF_8));
        }
    }

    @Test
    void argumentsAreCheckedEvenBeforeTheInstanceIsFoundClosed() throws IOException {
        Walrus wal = open();
        wal.appendForTopic(TOPIC, "one".getBytes(UTF_8));
        wal.close();
        assertThrows(IllegalArgumentException.class, () -> wal.readFrom(TOPIC, -1, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> wal.readFrom(TOPIC, 0, 100, 0));
        assertThrows(IllegalStateException.class, () -> wal.readFrom(TOPIC, 0, 100, 10));
        assertThrows(IllegalStateException.class, () -> wal.readFrom("unknown", 0, 100, 10));
    }

    private Walrus open() throws IOException {
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
    }

    /**
     * {@code count} entries of {@code topic}, single appends and batches of up to 50 mixed, each
     * {@link Payloads#entry} of its sequence; returns them in order.
     */
    private static List<byte[]> appendMixed(Walrus wal, String topic, int count, Random random) throws IOException {
        long first = wal.stats().topic(topic).map(TopicStats::nextSequence).orElse(0L);
        List<byte[]> written = new ArrayList<>();
        while (written.size() < count) {
            int size = random.nextInt(3) == 0 ? Math.min(count - written.size(), 2 + random.nextInt(49)) : 1;
            List<byte[]> batch = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                batch.add(Payloads.entry(topic, first + written.size() + j));
            }
            if (size == 1) {
                wal.appendForTopic(topic, batch.getFirst());
            } else {
                wal.batchAppendForTopic(topic, batch);
            }
            written.addAll(batch);
        }
        return written;
    }

    private static void assertEntries(List<byte[]> written, int from, int to, List<Entry> read) {
        if (read.size() != to - from) {
            fail("from " + from + ": expected " + (to - from) + " entries, got " + read.size()
                    + (read.isEmpty() ? "" : ", first " + Payloads.describe(read.getFirst().data())));
        }
        for (int i = 0; i < read.size(); i++) {
            assertArrayEquals(written.get(from + i), read.get(i).data(), "entry " + (from + i) + " read from " + from);
        }
    }

    private static void rejected(Class<? extends Throwable> type, String inMessage, Executable call) {
        Throwable thrown = assertThrows(type, call);
        assertTrue(thrown.getMessage() != null && thrown.getMessage().contains(inMessage),
                "message names the problem: " + thrown.getMessage());
    }
}
