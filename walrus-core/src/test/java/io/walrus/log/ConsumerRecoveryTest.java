package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;
import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.ConsumerDescriptor;
import io.walrus.format.DataFileNames;
import io.walrus.testing.Payloads;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What opening does with named consumers' files: cursors beyond the end are clamped (and saved) before
 * any write, cursors of topics with no surviving entry start over, a cursor with a useless hint is
 * found by walking its block, and what an interrupted create or remove left is cleaned up. Also the
 * hook deletion will use: the lowest checkpointed sequence per topic over every consumer.
 */
class ConsumerRecoveryTest {
    private static final String TOPIC = "events";
    private static final System.Logger LOGGER = System.getLogger(ConsumerRecoveryTest.class.getName());

    @TempDir
    Path dir;

    @Test
    void consumerCursorBeyondTheEndIsClampedBeforeNewAppendsSoNoneIsSkipped() throws IOException {
        append(0, 10);
        try (Walrus wal = open()) {
            wal.consumer("x").readNext(TOPIC, true);
        }
        // As if a crash lost entries 10..49 after the consumer had checkpointed them.
        consumerCursors("x").save(TOPIC, new Cursor(50, 7, 4096));
        LogFixture.forgetCleanShutdown(dir);
        try (Walrus wal = open()) {
            assertEquals(Optional.empty(), wal.consumer("x").readNext(TOPIC, false), "resumes at the end");
            assertEquals(10, consumerCursors("x").loadAll().get(TOPIC).nextSequence(), "clamped on disk at open");
            wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, 10));
        }
        try (Walrus wal = open()) {
            assertIndex(10, wal.consumer("x").readNext(TOPIC, true), "the entry appended after the clamp");
        }
    }

    @Test
    void cursorsOfATopicWithNoSurvivingEntryStartOverForEveryConsumer() throws IOException {
        append(0, 3);
        try (Walrus wal = open()) {
            wal.consumer("x");
        }
        // As if a crash lost every block of "ghost" after both consumers had checkpointed 7 entries of it.
        consumerCursors("x").save("ghost", new Cursor(7, 0, 4096));
        new CursorStore(dir, LOGGER).save("ghost", new Cursor(7, 0, 4096));
        LogFixture.forgetCleanShutdown(dir);
        try (Walrus wal = open()) {
            for (int i = 0; i < 3; i++) {
                wal.appendForTopic("ghost", Payloads.entry("ghost", i));
            }
        }
        try (Walrus wal = open()) {
            assertEquals(Optional.of(0L), wal.readNext("ghost", true).map(e -> Payloads.indexOf(e.data())),
                    "default consumer");
            assertEquals(Optional.of(0L), wal.consumer("x").readNext("ghost", true).map(e -> Payloads.indexOf(e.data())),
                    "named consumer");
        }
    }

    @Test
    void cursorWhoseHintIsWrongIsFoundByItsSequence() throws IOException {
        append(0, 400);
        try (Walrus wal = open()) {
            wal.consumer("x");
            wal.consumer("y");
        }
        consumerCursors("x").save(TOPIC, new Cursor(123, -1, 0));
        consumerCursors("y").save(TOPIC, new Cursor(321, 2, 8)); // right block maybe, wrong offset
        try (Walrus wal = open()) {
            assertIndex(123, wal.consumer("x").readNext(TOPIC, true), "no block hint");
            assertIndex(321, wal.consumer("y").readNext(TOPIC, true), "a wrong offset");
        }
    }

    @Test
    void consumerDirectoryWithoutADescriptorIsWhatAnInterruptedCreateLeftAndIsDeleted() throws IOException {
        append(0, 5);
        Path consumers = dir.resolve(DataFileNames.CONSUMER_DIRECTORY);
        Path halfMade = consumers.resolve(DataFileNames.consumerDirectory("half"));
        Files.createDirectories(halfMade);
        CursorStore.inDirectory(halfMade, LOGGER).save(TOPIC, new Cursor(3, -1, 0));
        Files.writeString(halfMade.resolve(DataFileNames.CONSUMER_FILE + ".tmp"), "torn");
        try (Walrus wal = open()) {
            assertEquals(List.of(), wal.consumers());
            assertFalse(Files.exists(halfMade), "the leftover is deleted");
            assertIndex(0, wal.consumer("half").readNext(TOPIC, true), "the name makes a new consumer");
        }
    }

    @Test
    void consumerWithADamagedDescriptorIsSetAsideNotDeleted() throws IOException {
        append(0, 5);
        try (Walrus wal = open()) {
            wal.consumer("d").readNext(TOPIC, true);
        }
        Path own = dir.resolve(DataFileNames.CONSUMER_DIRECTORY).resolve(DataFileNames.consumerDirectory("d"));
        byte[] descriptor = Files.readAllBytes(own.resolve(DataFileNames.CONSUMER_FILE));
        descriptor[descriptor.length - 1] ^= 1;
        Files.write(own.resolve(DataFileNames.CONSUMER_FILE), descriptor);
        try (Walrus wal = open()) {
            assertEquals(List.of(), wal.consumers());
            assertTrue(Files.isDirectory(own.resolveSibling(own.getFileName() + ".unreadable")), "set aside");
        }
    }

    @Test
    void creatingAConsumerNeverClearsAnotherConsumersDirectory() throws IOException {
        append(0, 5);
        Path consumers = dir.resolve(DataFileNames.CONSUMER_DIRECTORY);
        try (Walrus wal = open()) {
            wal.consumer("first");
            // What two names with colliding hashes would look like: "x"'s directory, another name inside.
            Path taken = consumers.resolve(DataFileNames.consumerDirectory("x"));
            Files.createDirectories(taken);
            Files.write(taken.resolve(DataFileNames.CONSUMER_FILE), new ConsumerDescriptor("other", false, 0).encode());
            IOException refused = assertThrows(IOException.class, () -> wal.consumer("x"));
            assertTrue(refused.getMessage().contains("collide"), refused.getMessage());
            assertTrue(Files.exists(taken.resolve(DataFileNames.CONSUMER_FILE)), "left alone");
            // A descriptor of the same name that the instance does not know: a removal whose deletion failed.
            Path leftover = consumers.resolve(DataFileNames.consumerDirectory("y"));
            Files.createDirectories(leftover);
            Files.write(leftover.resolve(DataFileNames.CONSUMER_FILE), new ConsumerDescriptor("y", true, 0).encode());
            CursorStore.inDirectory(leftover, LOGGER).save(TOPIC, new Cursor(4, -1, 0));
            assertIndex(0, wal.consumer("y").readNext(TOPIC, true), "made afresh from the earliest entry");
            assertEquals(List.of("first", "y"), wal.consumers(), "and the instance goes on");
        }
    }

    @Test
    void lowestCheckpointedSequenceCountsEveryConsumerUntilItIsRemoved() throws IOException {
        try (WriteAheadLog log = LogFixture.open(dir)) {
            for (int i = 0; i < 10; i++) {
                log.append(TOPIC, ("e" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 6; i++) {
                log.readNext(TOPIC, true);
            }
            assertEquals(Map.of(TOPIC, 6L), log.lowestCheckpointedSequences(), "only the default consumer");
            NamedConsumer slow = log.consumer("slow", false);
            assertEquals(Map.of(TOPIC, 0L), log.lowestCheckpointedSequences(), "a new consumer at the start");
            slow.readNext(TOPIC, true, 0);
            slow.readNext(TOPIC, true, 0);
            log.consumer("tail", true);
            assertEquals(Map.of(TOPIC, 2L), log.lowestCheckpointedSequences(), "the slowest consumer");
            slow.readNext(TOPIC, false, 0);
            assertEquals(Map.of(TOPIC, 2L), log.lowestCheckpointedSequences(), "a peek moves nothing");
            assertTrue(log.removeConsumer("slow"));
            assertEquals(Map.of(TOPIC, 6L), log.lowestCheckpointedSequences(), "removing the laggard");
        }
    }

    private Walrus open() throws IOException {
        return TestWals.small(dir).consistency(ReadConsistency.strictlyAtOnce()).fsync(FsyncSchedule.noFsync()).open();
    }

    private void append(long from, long to) throws IOException {
        try (Walrus wal = open()) {
            for (long i = from; i < to; i++) {
                wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, i));
            }
        }
    }

    private CursorStore consumerCursors(String consumer) throws IOException {
        return CursorStore.inDirectory(dir.resolve(DataFileNames.CONSUMER_DIRECTORY)
                .resolve(DataFileNames.consumerDirectory(consumer)), LOGGER);
    }

    private static void assertIndex(long index, Optional<io.walrus.Entry> actual, String when) {
        assertTrue(actual.isPresent(), when + ": expected entry " + index + " but got nothing");
        assertEquals(index, Payloads.indexOf(actual.get().data()), when);
    }

}
