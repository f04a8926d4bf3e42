package io.walrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.format.DataFileNames;
import io.walrus.testing.Payloads;
import io.walrus.testing.SaveAhead;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named consumers in one process: each has its own cursors, persisted across close and reopen,
 * beside the default consumer; they start at the earliest entry or the tail, and are listed and
 * removed durably. Kill -9 is in {@link NamedConsumerCrashTest}.
 */
class NamedConsumerTest {
    private static final String TOPIC = "events";

    @TempDir
    Path dir;

    /**
     * Three consumers at three paces (one entry a round, three a round, batches of about 4 kB) while
     * entries keep coming, then a close and reopen, then the rest: each sees every entry once, in order.
     */
    @Test
    void threeConsumersAtDifferentPacesEachSeeEveryEntryOnceAcrossRestart() throws IOException {
        int total = 600;
        Map<String, List<Long>> seen = new TreeMap<>(Map.of("slow", new ArrayList<>(), "fast", new ArrayList<>(),
                "batch", new ArrayList<>()));
        long appended = 0;
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (; appended < total / 2; appended++) {
                wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, appended));
            }
            Consumer slow = wal.consumer("slow");
            Consumer fast = wal.consumer("fast");
            Consumer batch = wal.consumer("batch");
            for (int round = 0; round < 100; round++) {
                for (int k = 0; k < 3 && appended < total; k++, appended++) {
                    wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, appended));
                }
                slow.readNext(TOPIC, true).ifPresent(e -> seen.get("slow").add(Payloads.indexOf(e.data())));
                for (int k = 0; k < 3; k++) {
                    fast.readNext(TOPIC, true).ifPresent(e -> seen.get("fast").add(Payloads.indexOf(e.data())));
                }
                for (Entry entry : batch.batchReadForTopic(TOPIC, 4_000, true)) {
                    seen.get("batch").add(Payloads.indexOf(entry.data()));
                }
            }
            assertEquals(total, appended);
        }
        assertTrue(seen.get("slow").size() < seen.get("fast").size(), "the paces differ: " + sizes(seen));
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEquals(List.of("batch", "fast", "slow"), wal.consumers());
            for (String name : seen.keySet()) {
                Consumer consumer = wal.consumer(name);
                List<Entry> rest;
                while (!(rest = consumer.batchReadForTopic(TOPIC, 64 << 10, true)).isEmpty()) {
                    rest.forEach(e -> seen.get(name).add(Payloads.indexOf(e.data())));
                }
            }
            List<Long> everyEntry = LongStream.range(0, total).boxed().toList();
            for (Map.Entry<String, List<Long>> consumer : seen.entrySet()) {
                assertEquals(everyEntry, consumer.getValue(), "entries consumer " + consumer.getKey() + " saw");
            }
            assertEquals(Optional.of(0L), wal.readNext(TOPIC, false).map(e -> Payloads.indexOf(e.data())),
                    "the default consumer has not moved");
        }
    }

    @Test
    void consumersLeaveTheDefaultConsumersCursorFilesAlone() throws IOException {
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, 0));
            wal.consumer("indexer").readNext(TOPIC, true);
            assertEquals(List.of(), list(dir.resolve(DataFileNames.CURSOR_DIRECTORY)), "cursors/ of the default consumer");
            Path own = dir.resolve(DataFileNames.CONSUMER_DIRECTORY).resolve(DataFileNames.consumerDirectory("indexer"));
            assertEquals(List.of(DataFileNames.CONSUMER_FILE, DataFileNames.cursorFile(TOPIC)), list(own));
            wal.readNext(TOPIC, true);
            assertEquals(List.of(DataFileNames.cursorFile(TOPIC)), list(dir.resolve(DataFileNames.CURSOR_DIRECTORY)));
        }
    }

    @Test
    void atLeastOnceConsumerPersistsItsExactCursorOnClose() throws IOException {
        appendEntries(TOPIC, 0, 50);
        try (Walrus wal = open(ReadConsistency.atLeastOnce(1_000))) {
            Consumer consumer = wal.consumer("audit");
            for (int i = 0; i < 17; i++) {
                assertIndex(i, consumer.readNext(TOPIC, true), "first session");
            }
        }
        try (Walrus wal = open(ReadConsistency.atLeastOnce(1_000))) {
            assertIndex(17, wal.consumer("audit").readNext(TOPIC, true), "after reopen");
        }
    }

    @Test
    void latestConsumerReadsOnlyEntriesCommittedAfterItsCreationAcrossRestart() throws IOException {
        appendEntries(TOPIC, 0, 5);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            Consumer tail = wal.consumer("tail", StartPosition.LATEST);
            assertEquals(Optional.empty(), tail.readNext(TOPIC, false), "nothing after the tail yet");
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            Consumer tail = wal.consumer("tail");
            assertEquals(Optional.empty(), tail.readNext(TOPIC, true), "still at the tail after a restart");
            wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, 5));
            wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, 6));
            assertIndex(5, tail.readNext(TOPIC, true), "first entry after creation");
            wal.appendForTopic("later", Payloads.entry("later", 0));
            assertEquals(Optional.of(0L), tail.readNext("later", true).map(e -> Payloads.indexOf(e.data())),
                    "a topic created after the consumer is read from its start");
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertIndex(6, wal.consumer("tail", StartPosition.EARLIEST).readNext(TOPIC, true),
                    "an existing consumer resumes, whatever start position is asked for");
        }
    }

    @Test
    void earliestConsumerCreatedLateStillReadsFromTheFirstEntry() throws IOException {
        appendEntries(TOPIC, 0, 20);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            wal.batchReadForTopic(TOPIC, Long.MAX_VALUE, true);
            assertIndex(0, wal.consumer("late").readNext(TOPIC, true), "a new consumer");
        }
    }

    @Test
    void consumersAreListedAndRemovedDurablyAcrossRestart() throws IOException {
        appendEntries(TOPIC, 0, 10);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEquals(List.of(), wal.consumers());
            wal.consumer("replicator").readNext(TOPIC, true);
            wal.consumer("indexer", StartPosition.LATEST);
            wal.consumer("audit");
            assertEquals(List.of("audit", "indexer", "replicator"), wal.consumers());
        }
        Path consumers = dir.resolve(DataFileNames.CONSUMER_DIRECTORY);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEquals(List.of("audit", "indexer", "replicator"), wal.consumers(), "after reopen");
            assertTrue(wal.removeConsumer("replicator"));
            assertFalse(wal.removeConsumer("replicator"), "a second removal finds nothing");
            assertFalse(wal.removeConsumer("never-made"));
            assertEquals(List.of("audit", "indexer"), wal.consumers());
            assertEquals(List.of(DataFileNames.consumerDirectory("audit"), DataFileNames.consumerDirectory("indexer")),
                    list(consumers), "the removed consumer's directory is gone");
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEquals(List.of("audit", "indexer"), wal.consumers(), "a removal survives reopen");
            assertIndex(0, wal.consumer("replicator").readNext(TOPIC, true), "the name again: a new consumer");
        }
    }

    @Test
    void removedConsumerRefusesEveryCallAndItsNameStartsAfresh() throws IOException {
        appendEntries(TOPIC, 0, 10);
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            Consumer old = wal.consumer("c");
            for (int i = 0; i < 4; i++) {
                old.readNext(TOPIC, true);
            }
            assertTrue(wal.removeConsumer("c"));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> old.readNext(TOPIC, true));
            assertTrue(refused.getMessage().contains("'c' was removed"), refused.getMessage());
            assertThrows(IllegalStateException.class, () -> old.batchReadForTopic(TOPIC, 100, false));
            Consumer again = wal.consumer("c");
            assertIndex(0, again.readNext(TOPIC, true), "a consumer made again under the removed name");
            assertThrows(IllegalStateException.class, () -> old.readNext(TOPIC, false), "the old handle stays dead");
        }
    }

    /**
     * Under atLeastOnce(2) with saves always ahead, every odd read starts a background save of the
     * cursor: removal must wait for the one in flight, or it would write into the directory being
     * deleted (making the deletion fail, or leaving a file of a consumer that no longer exists).
     */
    @Test
    void removalWaitsForABackgroundCursorSaveAndLeavesNothingBehind() throws IOException {
        appendEntries(TOPIC, 0, 200);
        Path consumers = dir.resolve(DataFileNames.CONSUMER_DIRECTORY);
        try (Walrus wal = SaveAhead.always(() -> open(ReadConsistency.atLeastOnce(2)))) {
            for (int round = 0; round < 50; round++) {
                Consumer consumer = wal.consumer("c");
                for (int i = 0; i < 1 + round % 3; i++) {
                    assertIndex(i, consumer.readNext(TOPIC, true), "round " + round);
                }
                assertTrue(wal.removeConsumer("c"), "round " + round);
                assertEquals(List.of(), list(consumers), "round " + round + ": the removed consumer's directory is gone");
            }
        }
        try (Walrus wal = open(ReadConsistency.atLeastOnce(2))) {
            assertEquals(List.of(), wal.consumers(), "no consumer came back");
        }
    }

    @Test
    void namesThatSanitiseAlikeAreDifferentConsumers() throws IOException {
        appendEntries(TOPIC, 0, 10);
        List<String> names = List.of("a/b", "a_b", "a b", "..", "é", "CONSUMER");
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (int k = 0; k < names.size(); k++) {
                Consumer consumer = wal.consumer(names.get(k));
                for (int i = 0; i <= k; i++) {
                    assertIndex(i, consumer.readNext(TOPIC, true), names.get(k));
                }
            }
        }
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            assertEquals(names.stream().sorted().toList(), wal.consumers());
            for (int k = 0; k < names.size(); k++) {
                assertIndex(k + 1, wal.consumer(names.get(k)).readNext(TOPIC, true), names.get(k) + " after reopen");
            }
        }
    }

    @Test
    void closedInstanceRefusesConsumerCalls() throws IOException {
        Walrus wal = open(ReadConsistency.strictlyAtOnce());
        Consumer consumer = wal.consumer("c");
        wal.close();
        assertThrows(IllegalStateException.class, () -> consumer.readNext(TOPIC, true));
        assertThrows(IllegalStateException.class, () -> wal.consumer("d"));
        assertThrows(IllegalStateException.class, wal::consumers);
        assertThrows(IllegalStateException.class, () -> wal.removeConsumer("c"));
    }

    // ------------------------------------------------------------------ helpers

    private Walrus open(ReadConsistency mode) throws IOException {
        return TestWals.small(dir).consistency(mode).fsync(FsyncSchedule.noFsync()).open();
    }

    private void appendEntries(String topic, long from, long to) throws IOException {
        try (Walrus wal = open(ReadConsistency.strictlyAtOnce())) {
            for (long i = from; i < to; i++) {
                wal.appendForTopic(topic, Payloads.entry(topic, i));
            }
        }
    }

    private static void assertIndex(long index, Optional<Entry> actual, String when) {
        assertTrue(actual.isPresent(), when + ": expected entry " + index + " but got nothing");
        assertEquals(index, Payloads.indexOf(actual.get().data()), when);
    }

    private static String sizes(Map<String, List<Long>> seen) {
        StringBuilder out = new StringBuilder();
        seen.forEach((name, entries) -> out.append(name).append('=').append(entries.size()).append(' '));
        return out.toString().trim();
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
