package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The zero-copy batch read ({@code visitBatchForTopic}) hands out exactly what the
 * copying batch read returns, in place, on both backends: same entries, order, caps, cursor
 * movement and peeking; a read-only view; a throwing visitor's entries handed out again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // only a guard against a deadlock hanging the build
class VisitBatchTest {
    @TempDir
    Path dir;

    /** Visited entries as copies, with their sequences. */
    private static final class Collected implements EntryVisitor {
        final List<byte[]> payloads = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();

        @Override
        public void visit(long sequence, ByteBuffer payload) {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            payloads.add(copy);
            sequences.add(sequence);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void visitedBatchesAreTheCopyingBatchesAcrossBlocksAndFiles(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            List<byte[]> written = fill(wal, "t", 900, 42); // about 700 KB: 64 KiB blocks, 4 to a file
            Consumer copying = wal.consumer("copying");
            Consumer visiting = wal.consumer("visiting");
            Random sizes = new Random(7);
            long next = 0;
            while (next < written.size()) {
                long maxBytes = sizes.nextInt(3) == 0 ? 0 : sizes.nextInt(40_000);
                List<Entry> expected = copying.batchReadForTopic("t", maxBytes, true);
                Collected got = new Collected();
                int visited = visiting.visitBatchForTopic("t", maxBytes, true, got);
                assertEquals(expected.size(), visited, "batch at entry " + next + ", maxBytes=" + maxBytes);
                assertEquals(visited, got.payloads.size());
                for (int i = 0; i < visited; i++) {
                    assertArrayEquals(expected.get(i).data(), got.payloads.get(i), "entry " + (next + i));
                    assertArrayEquals(written.get((int) next + i), got.payloads.get(i), "entry " + (next + i));
                    assertEquals(next + i, got.sequences.get(i));
                }
                next += visited;
            }
            assertEquals(0, visiting.visitBatchForTopic("t", Long.MAX_VALUE, true, new Collected()));
            assertEquals(List.of(), copying.batchReadForTopic("t", Long.MAX_VALUE, true));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void defaultConsumerVisitsEveryEntryOnceInCommitOrder(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            List<byte[]> written = fill(wal, "t", 500, 3);
            Collected got = new Collected();
            while (wal.visitBatchForTopic("t", 64 << 10, true, got) > 0) {
                // reads on until the topic is drained
            }
            assertEquals(written.size(), got.payloads.size());
            for (int i = 0; i < written.size(); i++) {
                assertArrayEquals(written.get(i), got.payloads.get(i), "entry " + i);
                assertEquals(i, got.sequences.get(i));
            }
            assertTrue(wal.readNext("t", true).isEmpty(), "the copying reads share the default consumer's cursor");
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void peekVisitsTheSameEntriesAgainAndLeavesTheCursor(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            List<byte[]> written = fill(wal, "t", 50, 5);
            Collected first = new Collected();
            Collected second = new Collected();
            int peeked = wal.visitBatchForTopic("t", 10_000, false, first);
            assertEquals(peeked, wal.visitBatchForTopic("t", 10_000, false, second));
            assertTrue(peeked > 1);
            for (int i = 0; i < peeked; i++) {
                assertArrayEquals(first.payloads.get(i), second.payloads.get(i));
            }
            assertArrayEquals(written.getFirst(), wal.readNext("t", true).orElseThrow().data());
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void payloadIsAReadOnlyViewThatShowsNothingAfterTheRead(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            wal.appendForTopic("t", "abc".getBytes(UTF_8));
            wal.appendForTopic("t", "defg".getBytes(UTF_8));
            List<ByteBuffer> kept = new ArrayList<>();
            int visited = wal.visitBatchForTopic("t", Long.MAX_VALUE, true, (sequence, payload) -> {
                assertTrue(payload.isReadOnly());
                assertThrows(ReadOnlyBufferException.class, () -> payload.put(payload.position(), (byte) 0));
                assertEquals(sequence == 0 ? 3 : 4, payload.remaining());
                payload.position(payload.limit()); // a visitor may move it: the next entry is sliced afresh
                kept.add(payload);
            });
            assertEquals(2, visited);
            assertSame(kept.get(0), kept.get(1), "one view, re-sliced: nothing allocated per entry");
            assertEquals(0, kept.getFirst().limit(), "a view kept past its read shows nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void throwingVisitorMovesTheCursorPastOnlyTheEntriesItFinished(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            List<byte[]> written = fill(wal, "t", 10, 9);
            IllegalStateException thrown = new IllegalStateException("the sink is full");
            Collected got = new Collected();
            IllegalStateException seen = assertThrows(IllegalStateException.class,
                    () -> wal.visitBatchForTopic("t", Long.MAX_VALUE, true, (sequence, payload) -> {
                        if (sequence == 3) {
                            throw thrown;
                        }
                        got.visit(sequence, payload);
                    }));
            assertSame(thrown, seen);
            assertEquals(List.of(0L, 1L, 2L), got.sequences);
            assertArrayEquals(written.get(3), wal.readNext("t", false).orElseThrow().data(),
                    "the entry whose visit threw is handed out again");

            IOException failed = new IOException("downstream is gone");
            assertSame(failed, assertThrows(IOException.class,
                    () -> wal.visitBatchForTopic("t", Long.MAX_VALUE, true, (sequence, payload) -> {
                        throw failed;
                    })));
            assertArrayEquals(written.get(3), wal.readNext("t", false).orElseThrow().data(),
                    "a visitor throwing at the first entry moves nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void throwingVisitorOfAPeekMovesNothing(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            List<byte[]> written = fill(wal, "t", 10, 11);
            assertThrows(IllegalStateException.class, () -> wal.visitBatchForTopic("t", Long.MAX_VALUE, false,
                    (sequence, payload) -> {
                        if (sequence == 5) {
                            throw new IllegalStateException("stop");
                        }
                    }));
            assertArrayEquals(written.getFirst(), wal.readNext("t", true).orElseThrow().data());
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void cursorOfAThrowingVisitSurvivesARestart(StorageBackend backend) throws IOException {
        List<byte[]> written;
        try (Walrus wal = open(backend)) {
            written = fill(wal, "t", 10, 13);
            assertThrows(IllegalStateException.class, () -> wal.visitBatchForTopic("t", Long.MAX_VALUE, true,
                    (sequence, payload) -> {
                        if (sequence == 4) {
                            throw new IllegalStateException("stop");
                        }
                    }));
        }
        try (Walrus wal = open(backend)) {
            assertArrayEquals(written.get(4), wal.readNext("t", true).orElseThrow().data());
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void capsAreThoseOfTheCopyingRead(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < Walrus.MAX_BATCH_ENTRIES; i++) {
                batch.add(("e" + i).getBytes(UTF_8));
            }
            wal.batchAppendForTopic("t", batch);
            wal.batchAppendForTopic("t", batch);
            Collected none = new Collected();
            assertEquals(1, wal.visitBatchForTopic("t", 0, true, none), "at least one entry, whatever maxBytes");
            assertEquals(Walrus.MAX_BATCH_ENTRIES, wal.visitBatchForTopic("t", Long.MAX_VALUE, true, new Collected()));
            // The second batch from "e1" on: 2 bytes each; a budget of 5 takes "e1" and "e2", not "e3" too.
            Collected two = new Collected();
            assertEquals(2, wal.visitBatchForTopic("t", 5, true, two));
            assertEquals(List.of(2001L, 2002L), two.sequences);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void entryLargerThanTheStagingBufferIsVisitedWhole(StorageBackend backend) throws IOException {
        try (Walrus wal = Walrus.builder().dataDir(dir).backend(backend).fsync(FsyncSchedule.noFsync()).open()) {
            byte[] large = new byte[600 << 10];
            new Random(17).nextBytes(large);
            wal.appendForTopic("t", "small".getBytes(UTF_8));
            wal.appendForTopic("t", large);
            wal.appendForTopic("t", "after".getBytes(UTF_8));
            Collected got = new Collected();
            assertEquals(3, wal.visitBatchForTopic("t", Long.MAX_VALUE, true, got));
            assertArrayEquals(large, got.payloads.get(1));
            assertEquals("after", new String(got.payloads.get(2), UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void visitorReadingItsOwnTopicIsRefusedAndOthersAreNot(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            wal.appendForTopic("t", "one".getBytes(UTF_8));
            wal.appendForTopic("u", "other".getBytes(UTF_8));
            List<String> nested = new ArrayList<>();
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> wal.visitBatchForTopic("t", Long.MAX_VALUE, true, (sequence, payload) -> {
                        nested.add(new String(wal.readNext("u", true).orElseThrow().data(), UTF_8));
                        wal.visitBatchForTopic("t", 10, false, (s, p) -> { });
                    }));
            assertTrue(refused.getMessage().contains("'t'"), refused.getMessage());
            assertEquals(List.of("other"), nested);
            assertEquals("one", new String(wal.readNext("t", true).orElseThrow().data(), UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void unknownTopicVisitsNothingAndWaitingReadReturnsWhenAnEntryComes(StorageBackend backend) throws Exception {
        try (Walrus wal = open(backend)) {
            assertEquals(0, wal.visitBatchForTopic("nothing", 100, true, (s, p) -> {
                throw new AssertionError("visited");
            }));
            assertEquals(0, wal.visitBatchForTopic("later", 100, true, Duration.ofMillis(20), new Collected()));
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                    wal.appendForTopic("later", "came".getBytes(UTF_8));
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            Collected got = new Collected();
            Consumer named = wal.consumer("waiting");
            assertEquals(1, named.visitBatchForTopic("later", 100, true, Duration.ofSeconds(30), got));
            writer.join();
            assertEquals("came", new String(got.payloads.getFirst(), UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void badArgumentsAreRefusedNamingTheValue(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            Consumer consumer = wal.consumer("c");
            EntryVisitor visitor = (s, p) -> { };
            assertEquals("visitor", assertThrows(NullPointerException.class,
                    () -> wal.visitBatchForTopic("t", 10, true, null)).getMessage());
            assertEquals("visitor", assertThrows(NullPointerException.class,
                    () -> consumer.visitBatchForTopic("t", 10, true, Duration.ZERO, null)).getMessage());
            assertEquals("topic", assertThrows(NullPointerException.class,
                    () -> consumer.visitBatchForTopic(null, 10, true, visitor)).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> wal.visitBatchForTopic("t", -1, true, visitor)).getMessage().contains("maxBytes=-1"));
            assertThrows(IllegalArgumentException.class, () -> consumer.visitBatchForTopic("", 10, true, visitor));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> wal.visitBatchForTopic("t", 10, true, Duration.ofMillis(-1), visitor))
                    .getMessage().contains("timeout"));
        }
    }

    private Walrus open(StorageBackend backend) throws IOException {
        return TestWals.small(dir, backend).fsync(FsyncSchedule.noFsync()).open();
    }

    /** {@code count} entries of random content and length (1 to 3,000 bytes), appended singly and in batches. */
    private static List<byte[]> fill(Walrus wal, String topic, int count, long seed) throws IOException {
        Random random = new Random(seed);
        List<byte[]> written = new ArrayList<>();
        while (written.size() < count) {
            int n = Math.min(count - written.size(), 1 + random.nextInt(20));
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] payload = new byte[1 + random.nextInt(3000)];
                random.nextBytes(payload);
                batch.add(payload);
            }
            if (n == 1) {
                wal.appendForTopic(topic, batch.getFirst());
            } else {
                wal.batchAppendForTopic(topic, batch);
            }
            written.addAll(batch);
        }
        return written;
    }
}
