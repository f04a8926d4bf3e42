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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Batch appends (1 to 2,000 entries, atomic) and batch reads (byte budget, 2,000 cap, at least one). */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // only a guard against a deadlock hanging the build
class BatchTest {
    @TempDir
    Path dir;

    @Test
    void batchOfOneEntryRoundTrips() throws IOException {
        try (Walrus wal = open()) {
            wal.batchAppendForTopic("t", List.of(bytes("only")));
            assertEquals(List.of("only"), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, true)));
            assertEquals(List.of(), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, true)));
        }
    }

    @Test
    void batchOfMaxBatchEntriesRoundTripsInOrder() throws IOException {
        List<byte[]> batch = numbered("e", Walrus.MAX_BATCH_ENTRIES);
        try (Walrus wal = open()) {
            wal.batchAppendForTopic("t", batch);
            List<Entry> read = wal.batchReadForTopic("t", Long.MAX_VALUE, true);
            assertEquals(Walrus.MAX_BATCH_ENTRIES, read.size());
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(batch.get(i), read.get(i).data(), "entry " + i);
            }
            assertEquals(Optional.empty(), wal.readNext("t", true).map(Entry::data).map(BatchTest::text));
        }
    }

    @Test
    void batchOfMoreThanMaxBatchEntriesIsRejectedAndWritesNothing() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic("t", bytes("before"));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> wal.batchAppendForTopic("t", numbered("x", Walrus.MAX_BATCH_ENTRIES + 1)));
            assertTrue(refused.getMessage().contains("2001"), "message names the size: " + refused.getMessage());
            wal.appendForTopic("t", bytes("after"));
            assertEquals(List.of("before", "after"), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, true)));
        }
    }

    @Test
    void emptyBatchIsRejectedAndWritesNothing() throws IOException {
        try (Walrus wal = open()) {
            assertThrows(IllegalArgumentException.class, () -> wal.batchAppendForTopic("t", List.of()));
            assertEquals(List.of(), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, false)));
            wal.batchAppendForTopic("t", List.of(bytes("a"), bytes("b")));
            assertEquals(List.of("a", "b"), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, true)));
        }
    }

    @Test
    void batchReadStopsBeforeThePayloadBytesWouldExceedMaxBytes() throws IOException {
        try (Walrus wal = open()) {
            for (int i = 0; i < 10; i++) {
                wal.appendForTopic("t", filled(100, i));
            }
            assertEquals(3, wal.batchReadForTopic("t", 399, false).size(), "399 bytes hold three 100-byte entries");
            assertEquals(4, wal.batchReadForTopic("t", 400, false).size(), "400 bytes hold exactly four");
            assertEquals(4, wal.batchReadForTopic("t", 401, false).size(), "401 bytes still hold four");

            List<Entry> first = wal.batchReadForTopic("t", 350, true);
            assertEquals(3, first.size());
            List<Entry> second = wal.batchReadForTopic("t", 700, true);
            assertEquals(7, second.size());
            for (int i = 0; i < 10; i++) {
                Entry entry = i < 3 ? first.get(i) : second.get(i - 3);
                assertArrayEquals(filled(100, i), entry.data(), "entry " + i);
            }
            assertEquals(List.of(), wal.batchReadForTopic("t", 700, true));
        }
    }

    @Test
    void batchReadReturnsAtMostMaxBatchEntries() throws IOException {
        try (Walrus wal = open()) {
            wal.batchAppendForTopic("t", numbered("a", 1_500));
            wal.batchAppendForTopic("t", numbered("b", 1_000));
            List<Entry> first = wal.batchReadForTopic("t", Long.MAX_VALUE, true);
            assertEquals(Walrus.MAX_BATCH_ENTRIES, first.size());
            List<Entry> second = wal.batchReadForTopic("t", Long.MAX_VALUE, true);
            assertEquals(500, second.size());
            assertEquals("a0", text(first.get(0).data()));
            assertEquals("b499", text(first.get(1_999).data()));
            assertEquals("b500", text(second.get(0).data()));
            assertEquals("b999", text(second.get(499).data()));
        }
    }

    @Test
    void batchReadReturnsOneEntryEvenWhenItAloneExceedsMaxBytes() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic("t", filled(1_000, 1));
            wal.appendForTopic("t", filled(1_000, 2));
            wal.appendForTopic("t", filled(10, 3));
            List<Entry> first = wal.batchReadForTopic("t", 10, true);
            assertEquals(1, first.size());
            assertArrayEquals(filled(1_000, 1), first.get(0).data());
            List<Entry> second = wal.batchReadForTopic("t", 0, true);
            assertEquals(1, second.size(), "maxBytes 0 still returns one entry");
            assertArrayEquals(filled(1_000, 2), second.get(0).data());
            List<Entry> third = wal.batchReadForTopic("t", 0, true);
            assertEquals(1, third.size());
            assertArrayEquals(filled(10, 3), third.get(0).data());
            assertEquals(List.of(), wal.batchReadForTopic("t", 0, true));
        }
    }

    @Test
    void batchPeekDoesNotMoveTheCursor() throws IOException {
        try (Walrus wal = open()) {
            wal.batchAppendForTopic("t", numbered("p", 10));
            assertEquals(texts(numbered("p", 10)), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, false)));
            assertEquals(texts(numbered("p", 10)), texts(wal.batchReadForTopic("t", Long.MAX_VALUE, false)));
            assertEquals(Optional.of("p0"), wal.readNext("t", true).map(e -> text(e.data())));
            assertEquals(9, wal.batchReadForTopic("t", Long.MAX_VALUE, false).size());
        }
    }

    /**
     * With 64 KiB blocks and 4 blocks per file, a batch of 2,000 entries of up to 1.5 KB spans many
     * blocks and several files; one entry of 200 KB is bigger than a block. Singles between batches,
     * and a second topic written in between, must all read back in commit order, before and after reopen.
     */
    @Test
    void batchesSpanningBlocksAndFilesReadBackInOrder() throws IOException {
        List<byte[]> expectedA = new ArrayList<>();
        List<byte[]> expectedB = new ArrayList<>();
        try (Walrus wal = open()) {
            for (int n = 0; n < 3; n++) {
                for (String topic : List.of("a", "b")) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int j = 0; j < Walrus.MAX_BATCH_ENTRIES; j++) {
                        batch.add(Payloads.batchEntry(topic, n, j));
                    }
                    if (n == 1) {
                        batch.set(1_000, filled(200 << 10, n));
                    }
                    byte[] single = bytes(topic + "-single-" + n);
                    wal.batchAppendForTopic(topic, batch);
                    wal.appendForTopic(topic, single);
                    List<byte[]> expected = topic.equals("a") ? expectedA : expectedB;
                    expected.addAll(batch);
                    expected.add(single);
                }
            }
            assertReadsBack(wal, "a", expectedA, "before reopen");
        }
        try (Walrus wal = open()) {
            assertReadsBack(wal, "b", expectedB, "after reopen");
            assertEquals(List.of(), wal.batchReadForTopic("a", Long.MAX_VALUE, false), "a was consumed before reopen");
        }
    }

    /**
     * A single append while a batch holds the topic is refused with TopicBusyException and writes
     * nothing. Whether or not a refusal happens in a given run, what was accepted must read back
     * exactly once, each batch complete and contiguous, and nothing refused may appear.
     */
    @Test
    void appendsRefusedAsBusyDuringBatchesWriteNothingAndBatchesStayWhole() throws Exception {
        int batches = 30;
        int batchSize = 500;
        List<Integer> acceptedSingles = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean batchesDone = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (Walrus wal = open()) {
            Thread batcher = Thread.ofPlatform().name("batcher").start(() -> {
                try {
                    for (int n = 0; n < batches; n++) {
                        List<byte[]> batch = new ArrayList<>();
                        for (int j = 0; j < batchSize; j++) {
                            batch.add(bytes("B:0:" + n + ":" + j + ":" + batchSize));
                        }
                        while (true) {
                            try {
                                wal.batchAppendForTopic("t", batch);
                                break;
                            } catch (TopicBusyException busy) {
                                // The API lets a batch be refused only by another batch, and there is none;
                                // retrying is still harmless: a refused batch wrote nothing.
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    batchesDone.set(true);
                }
            });
            Thread singles = Thread.ofPlatform().name("singles").start(() -> {
                try {
                    for (int i = 0; !batchesDone.get(); i++) {
                        try {
                            wal.appendForTopic("t", bytes("S:" + i));
                            acceptedSingles.add(i);
                        } catch (TopicBusyException busy) {
                            // refused: must not appear
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            batcher.join();
            singles.join();
            assertTrue(failures.isEmpty(), () -> "a writer failed: " + failures);

            List<String> read = readAllTexts(wal, "t");
            List<Integer> singlesRead = new ArrayList<>();
            List<Integer> batchesRead = new ArrayList<>();
            for (int at = 0; at < read.size(); ) {
                String entry = read.get(at);
                if (entry.startsWith("S:")) {
                    singlesRead.add(Integer.parseInt(entry.substring(2)));
                    at++;
                } else {
                    at = checkWholeBatch(read, at);
                    batchesRead.add(Integer.parseInt(entry.split(":")[2]));
                }
            }
            assertEquals(acceptedSingles, singlesRead, "accepted single appends, each once, in order; refused ones absent");
            List<Integer> allBatches = new ArrayList<>();
            for (int n = 0; n < batches; n++) {
                allBatches.add(n);
            }
            assertEquals(allBatches, batchesRead, "every batch once, in order");
        }
    }

    /**
     * Two threads batch-append to one topic at once; a batch refused with TopicBusyException writes
     * nothing. Every accepted batch reads back whole and contiguous, each thread's in its order.
     */
    @Test
    void concurrentBatchesOnOneTopicAreEachWholeOrAbsent() throws Exception {
        int batchesPerThread = 40;
        List<List<Integer>> accepted = List.of(Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long seed = System.nanoTime();
        try (Walrus wal = open()) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Random random = new Random(seed + w);
                threads.add(Thread.ofPlatform().name("batcher-" + w).start(() -> {
                    try {
                        for (int n = 0; n < batchesPerThread; n++) {
                            int size = 1 + random.nextInt(300);
                            List<byte[]> batch = new ArrayList<>();
                            for (int j = 0; j < size; j++) {
                                batch.add(bytes("B:" + writer + ":" + n + ":" + j + ":" + size));
                            }
                            try {
                                wal.batchAppendForTopic("t", batch);
                                accepted.get(writer).add(n);
                            } catch (TopicBusyException busy) {
                                // refused: must not appear
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(failures.isEmpty(), () -> "a writer failed: " + failures);

            List<String> read = readAllTexts(wal, "t");
            List<List<Integer>> found = List.of(new ArrayList<>(), new ArrayList<>());
            for (int at = 0; at < read.size(); ) {
                String[] first = read.get(at).split(":");
                at = checkWholeBatch(read, at);
                found.get(Integer.parseInt(first[1])).add(Integer.parseInt(first[2]));
            }
            assertEquals(accepted.get(0), found.get(0), "accepted batches of writer 0, in order (seed " + seed + ")");
            assertEquals(accepted.get(1), found.get(1), "accepted batches of writer 1, in order (seed " + seed + ")");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Checks that {@code read[at..]} starts with all of one batch ({@code B:w:n:j:size}) and returns its end. */
    private static int checkWholeBatch(List<String> read, int at) {
        String[] first = read.get(at).split(":");
        if (!first[0].equals("B") || !first[3].equals("0")) {
            fail("entry " + at + " is " + read.get(at) + ", expected the first entry of a batch");
        }
        int size = Integer.parseInt(first[4]);
        String prefix = "B:" + first[1] + ":" + first[2] + ":";
        for (int j = 0; j < size; j++) {
            String expected = prefix + j + ":" + size;
            if (at + j >= read.size() || !read.get(at + j).equals(expected)) {
                fail("batch " + first[1] + ":" + first[2] + " is not whole and contiguous: at entry " + (at + j)
                        + " expected " + expected + " but found " + (at + j < read.size() ? read.get(at + j) : "the end"));
            }
        }
        return at + size;
    }

    private static void assertReadsBack(Walrus wal, String topic, List<byte[]> expected, String when) throws IOException {
        int at = 0;
        List<Entry> batch;
        while (!(batch = wal.batchReadForTopic(topic, 100_000, true)).isEmpty()) {
            for (Entry entry : batch) {
                if (at >= expected.size()) {
                    fail(when + ": " + topic + " has more than the " + expected.size() + " entries written");
                }
                assertArrayEquals(expected.get(at), entry.data(), when + ": " + topic + " entry " + at);
                at++;
            }
        }
        assertEquals(expected.size(), at, when + ": entries of " + topic);
    }

    private static List<String> readAllTexts(Walrus wal, String topic) throws IOException {
        List<String> all = new ArrayList<>();
        List<Entry> batch;
        while (!(batch = wal.batchReadForTopic(topic, Long.MAX_VALUE, true)).isEmpty()) {
            all.addAll(texts(batch));
        }
        return all;
    }

    private Walrus open() throws IOException {
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
    }

    private static List<byte[]> numbered(String prefix, int count) {
        List<byte[]> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(bytes(prefix + i));
        }
        return entries;
    }

    private static byte[] filled(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (seed * 31 + i);
        }
        return data;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String text(byte[] data) {
        return new String(data, UTF_8);
    }

    private static List<String> texts(List<?> entries) {
        return entries.stream().map(e -> e instanceof Entry entry ? text(entry.data()) : text((byte[]) e)).toList();
    }
}
