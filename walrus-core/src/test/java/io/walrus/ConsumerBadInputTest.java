package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.format.DataFileNames;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to named consumers and waiting reads: the right exception, a message naming the argument
 * or value, no consumer created or removed, and an instance (and consumer) that goes on working.
 */
class ConsumerBadInputTest {
    private static final String TOPIC = "t";

    @TempDir
    Path dir;

    @Test
    void badConsumerNamesAreRejectedAndCreateNothing() throws IOException {
        try (Walrus wal = open()) {
            String tooLong = "n".repeat(Walrus.MAX_CONSUMER_NAME_BYTES + 1);
            rejected(NullPointerException.class, "name", () -> wal.consumer(null));
            rejected(NullPointerException.class, "name", () -> wal.consumer(null, StartPosition.LATEST));
            rejected(NullPointerException.class, "start", () -> wal.consumer("c", null));
            rejected(IllegalArgumentException.class, "must not be empty", () -> wal.consumer(""));
            rejected(IllegalArgumentException.class, "longer than " + Walrus.MAX_CONSUMER_NAME_BYTES,
                    () -> wal.consumer(tooLong));
            rejected(NullPointerException.class, "name", () -> wal.removeConsumer(null));
            rejected(IllegalArgumentException.class, "must not be empty", () -> wal.removeConsumer(""));
            assertEquals(List.of(), wal.consumers());
            assertFalse(Files.exists(dir.resolve(DataFileNames.CONSUMER_DIRECTORY)), "nothing was written");
            String longest = "é".repeat(Walrus.MAX_CONSUMER_NAME_BYTES / 2);
            wal.consumer(longest);
            assertEquals(List.of(longest), wal.consumers(), "the longest name is allowed");
        }
    }

    @Test
    void badTimeoutsAreRejectedAndTheInstanceGoesOn() throws IOException {
        try (Walrus wal = open()) {
            Consumer consumer = wal.consumer("c");
            Duration negative = Duration.ofMillis(-1);
            rejected(NullPointerException.class, "timeout", () -> wal.readNext(TOPIC, true, null));
            rejected(NullPointerException.class, "timeout", () -> wal.batchReadForTopic(TOPIC, 10, true, null));
            rejected(NullPointerException.class, "timeout", () -> consumer.readNext(TOPIC, true, null));
            rejected(IllegalArgumentException.class, "timeout=PT-0.001S", () -> wal.readNext(TOPIC, true, negative));
            rejected(IllegalArgumentException.class, "timeout", () -> wal.batchReadForTopic(TOPIC, 10, true, negative));
            rejected(IllegalArgumentException.class, "timeout", () -> consumer.readNext(TOPIC, true, negative));
            rejected(IllegalArgumentException.class, "timeout",
                    () -> consumer.batchReadForTopic(TOPIC, 10, true, negative));
            wal.appendForTopic(TOPIC, "x".getBytes(UTF_8));
            assertTrue(consumer.readNext(TOPIC, true, Duration.ofSeconds(Long.MAX_VALUE)).isPresent(),
                    "a timeout too long for nanoseconds waits for ever, and an entry is there");
            assertTrue(wal.readNext(TOPIC, true, Duration.ZERO).isPresent());
        }
    }

    @Test
    void badTopicsAndSizesThroughAConsumerAreRejectedAndMoveNothing() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic(TOPIC, "x".getBytes(UTF_8));
            Consumer consumer = wal.consumer("c");
            rejected(NullPointerException.class, "topic", () -> consumer.readNext(null, true));
            rejected(NullPointerException.class, "topic", () -> consumer.batchReadForTopic(null, 10, true));
            rejected(IllegalArgumentException.class, "topic must not be empty", () -> consumer.readNext("", true));
            rejected(IllegalArgumentException.class, "topic must not be empty",
                    () -> consumer.readNext("", true, Duration.ofSeconds(1)));
            rejected(IllegalArgumentException.class, "maxBytes=-1", () -> consumer.batchReadForTopic(TOPIC, -1, true));
            rejected(IllegalArgumentException.class, "maxBytes=-1",
                    () -> wal.batchReadForTopic(TOPIC, -1, true, Duration.ZERO));
            assertEquals(Optional.of("x"), consumer.readNext(TOPIC, true).map(e -> new String(e.data(), UTF_8)),
                    "the consumer's cursor did not move");
        }
    }

    private static void rejected(Class<? extends Exception> type, String messagePart, Executable call) {
        Exception thrown = assertThrows(type, call);
        assertTrue(String.valueOf(thrown.getMessage()).contains(messagePart),
                "expected the message to mention '" + messagePart + "': " + thrown.getMessage());
    }

    private Walrus open() throws IOException {
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
    }
}
