package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.testing.SaveAhead;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input API.md lists: the right exception, a message that names the argument or the
 * value, nothing written, and an instance that goes on working. Plus the edges that are allowed:
 * an entry of exactly {@link Walrus#MAX_ENTRY_BYTES}, and empty entries.
 */
class BadInputTest {
    private static final String TOPIC = "t";
    private static final byte[] OK = "ok".getBytes(UTF_8);

    @TempDir
    Path dir;

    private Walrus wal;
    private int probes;

    @Test
    void nullArgumentsAreRejectedNamingTheArgumentAndWriteNothing() throws IOException {
        try (Walrus opened = open()) {
            wal = opened;
            rejected(NullPointerException.class, "topic", () -> wal.appendForTopic(null, OK));
            rejected(NullPointerException.class, "data", () -> wal.appendForTopic(TOPIC, null));
            rejected(NullPointerException.class, "topic", () -> wal.batchAppendForTopic(null, List.of(OK)));
            rejected(NullPointerException.class, "batch", () -> wal.batchAppendForTopic(TOPIC, null));
            rejected(NullPointerException.class, "batch", () -> wal.batchAppendForTopic(TOPIC, Arrays.asList(OK, null, OK)));
            rejected(NullPointerException.class, "batch", () -> wal.batchAppendForTopic(TOPIC, Arrays.asList(OK, OK, null)));
            rejected(NullPointerException.class, "topic", () -> wal.readNext(null, true));
            rejected(NullPointerException.class, "topic", () -> wal.readNext(null, false));
            rejected(NullPointerException.class, "topic", () -> wal.batchReadForTopic(null, 100, true));
            rejected(NullPointerException.class, "topic", () -> wal.batchReadForTopic(null, 100, false));
        }
        assertNothingPersistedBeyondProbes();
    }

    @Test
    void emptyTopicIsRejectedAndWritesNothing() throws IOException {
        try (Walrus opened = open()) {
            wal = opened;
            rejected(IllegalArgumentException.class, "topic", () -> wal.appendForTopic("", OK));
            rejected(IllegalArgumentException.class, "topic", () -> wal.batchAppendForTopic("", List.of(OK)));
            rejected(IllegalArgumentException.class, "topic", () -> wal.readNext("", true));
            rejected(IllegalArgumentException.class, "topic", () -> wal.batchReadForTopic("", 100, true));
        }
        assertNothingPersistedBeyondProbes();
    }

    @Test
    void topicNameOverTheMaximumIsRejectedAndWritesNothing() throws IOException {
        String tooLong = "n".repeat(Walrus.MAX_TOPIC_NAME_BYTES + 1);
        String longestAllowed = "n".repeat(Walrus.MAX_TOPIC_NAME_BYTES);
        try (Walrus opened = open()) {
            wal = opened;
            rejected(IllegalArgumentException.class, "topic", () -> wal.appendForTopic(tooLong, OK));
            rejected(IllegalArgumentException.class, "topic", () -> wal.batchAppendForTopic(tooLong, List.of(OK)));
            wal.appendForTopic(longestAllowed, "first".getBytes(UTF_8));
            wal.appendForTopic(longestAllowed, "second".getBytes(UTF_8));
            assertEquals("first", new String(wal.readNext(longestAllowed, true).orElseThrow().data(), UTF_8),
                    "longest allowed topic name");
        }
        assertNothingPersistedBeyondProbes();
        try (Walrus reopened = open()) {
            assertEquals("second", new String(reopened.readNext(longestAllowed, true).orElseThrow().data(), UTF_8),
                    "longest allowed topic name after reopen");
            assertEquals(Optional.empty(), reopened.readNext(longestAllowed, true).map(Entry::data).map(String::new));
        }
    }

    @Test
    void negativeMaxBytesIsRejectedNamingTheValue() throws IOException {
        try (Walrus opened = open()) {
            wal = opened;
            wal.appendForTopic("unread", "waiting".getBytes(UTF_8));
            rejectedNamingValue(IllegalArgumentException.class, "-1", () -> wal.batchReadForTopic("unread", -1, true));
            rejectedNamingValue(IllegalArgumentException.class, Long.toString(Long.MIN_VALUE),
                    () -> wal.batchReadForTopic("unread", Long.MIN_VALUE, false));
            // the refused reads moved no cursor
            assertEquals(Optional.of("waiting"), wal.readNext("unread", true).map(e -> new String(e.data(), UTF_8)));
            assertEquals(Optional.empty(), wal.readNext("unread", true).map(e -> new String(e.data(), UTF_8)));
        }
    }

    @Test
    void persistEveryBelowOneIsRejectedNamingTheValue() {
        rejectedNamingValue(IllegalArgumentException.class, "0", () -> ReadConsistency.atLeastOnce(0));
        rejectedNamingValue(IllegalArgumentException.class, "-3", () -> ReadConsistency.atLeastOnce(-3));
        assertEquals(1, ReadConsistency.atLeastOnce(1).persistEvery());
    }

    @Test
    void unknownCursorSaveAheadIsRefusedNamingTheValueBeforeAnythingIsWritten() throws IOException {
        Path target = dir.resolve("never-made");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SaveAhead.with("sometimes", () -> TestWals.small(target).open()));
        assertTrue(refused.getMessage().contains("walrus.cursor.saveAhead=sometimes"), refused.getMessage());
        assertFalse(Files.exists(target), "nothing written");
        try (Walrus wal = SaveAhead.with("never", () -> TestWals.small(target).open())) {
            wal.appendForTopic(TOPIC, new byte[]{1});
            assertEquals(1, wal.readNext(TOPIC, true).orElseThrow().data().length, "a known value opens as usual");
        }
    }

    @Test
    void fsyncIntervalBelowOneMillisecondIsRejectedNamingTheValue() {
        rejectedNamingValue(IllegalArgumentException.class, "0", () -> FsyncSchedule.milliseconds(0));
        rejectedNamingValue(IllegalArgumentException.class, "-5", () -> FsyncSchedule.milliseconds(-5));
        FsyncSchedule.milliseconds(1);
    }

    @Test
    void payloadOverMaxEntryBytesIsRejectedNamingTheSizeAndWritesNothing() throws IOException {
        byte[] tooBig = new byte[Walrus.MAX_ENTRY_BYTES + 1];
        String size = Integer.toString(tooBig.length);
        try (Walrus opened = open()) {
            wal = opened;
            rejectedNamingValue(IllegalArgumentException.class, size, () -> wal.appendForTopic(TOPIC, tooBig));
            // the valid entries before the oversized one must not be written either
            rejectedNamingValue(IllegalArgumentException.class, size,
                    () -> wal.batchAppendForTopic(TOPIC, List.of(OK, OK, tooBig)));
            rejectedNamingValue(IllegalArgumentException.class, size,
                    () -> wal.batchAppendForTopic(TOPIC, List.of(tooBig, OK)));
        }
        assertNothingPersistedBeyondProbes();
    }

    @Test
    void batchOfZeroOrOverMaxBatchEntriesIsRejectedNamingTheCountAndWritesNothing() throws IOException {
        List<byte[]> tooMany = new ArrayList<>(Collections.nCopies(Walrus.MAX_BATCH_ENTRIES + 1, OK));
        try (Walrus opened = open()) {
            wal = opened;
            rejectedNamingValue(IllegalArgumentException.class, "0", () -> wal.batchAppendForTopic(TOPIC, List.of()));
            rejectedNamingValue(IllegalArgumentException.class, "2001", () -> wal.batchAppendForTopic(TOPIC, tooMany));
        }
        assertNothingPersistedBeyondProbes();
    }

    @Test
    void entryOfExactlyMaxEntryBytesRoundTrips() throws IOException {
        byte[] largest = new byte[Walrus.MAX_ENTRY_BYTES];
        for (int i = 0; i < largest.length; i++) {
            largest[i] = (byte) (i * 31 + (i >>> 20));
        }
        // 1 MiB blocks: the entry is 64 times larger than a block
        try (Walrus w = TestWals.builder().dataDir(dir).blockSize(1 << 20).blocksPerFile(4)
                .fsync(FsyncSchedule.noFsync()).open()) {
            w.appendForTopic(TOPIC, "before".getBytes(UTF_8));
            w.appendForTopic(TOPIC, largest);
            w.appendForTopic(TOPIC, "after".getBytes(UTF_8));
            assertEquals("before", new String(w.readNext(TOPIC, true).orElseThrow().data(), UTF_8));
            assertArrayEquals(largest, w.readNext(TOPIC, false).orElseThrow().data(), "peeked before reopen");
        }
        try (Walrus w = TestWals.builder().dataDir(dir).blockSize(1 << 20).blocksPerFile(4)
                .fsync(FsyncSchedule.noFsync()).open()) {
            assertArrayEquals(largest, w.readNext(TOPIC, true).orElseThrow().data(), "read after reopen");
            assertEquals("after", new String(w.readNext(TOPIC, true).orElseThrow().data(), UTF_8));
            assertEquals(Optional.empty(), w.readNext(TOPIC, true).map(Entry::data).map(String::new));
        }
    }

    @Test
    void emptyPayloadsRoundTripIncludingAcrossReopen() throws IOException {
        byte[] empty = new byte[0];
        try (Walrus w = open()) {
            w.appendForTopic(TOPIC, empty);
            w.appendForTopic(TOPIC, OK);
            w.batchAppendForTopic(TOPIC, List.of(empty, OK, empty));
            w.appendForTopic(TOPIC, empty);
            assertEquals(0, w.readNext(TOPIC, true).orElseThrow().data().length, "first entry, read at once");
            w.appendForTopic("other", empty);
        }
        try (Walrus w = open()) {
            List<Integer> lengths = new ArrayList<>();
            Optional<Entry> next;
            while ((next = w.readNext(TOPIC, true)).isPresent()) {
                lengths.add(next.get().data().length);
            }
            assertEquals(List.of(2, 0, 2, 0, 0), lengths, "payload lengths after the first, recovered");
            assertEquals(Optional.of(0), w.readNext("other", true).map(e -> e.data().length), "a topic of one empty entry");
            assertEquals(Optional.empty(), w.readNext("other", true).map(e -> e.data().length));
        }
    }

    // ------------------------------------------------------------------ helpers

    private Walrus open() throws IOException {
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
    }

    /** The call throws {@code type} with a message mentioning {@code mention}; then the instance is unharmed. */
    private <T extends Throwable> void rejected(Class<T> type, String mention, Executable call) throws IOException {
        T thrown = assertThrows(type, call);
        String message = String.valueOf(thrown.getMessage());
        assertTrue(message.toLowerCase().contains(mention), "the message should name '" + mention + "': " + message);
        assertUsable();
    }

    /** As {@link #rejected}, where the message must contain {@code value} as a whole number. */
    private <T extends Throwable> void rejectedNamingValue(Class<T> type, String value, Executable call) {
        T thrown = assertThrows(type, call);
        String message = String.valueOf(thrown.getMessage());
        Pattern whole = Pattern.compile("(?<![0-9-])" + Pattern.quote(value) + "(?![0-9])");
        assertTrue(whole.matcher(message).find(), "the message should name the value " + value + ": " + message);
        if (wal != null) {
            try {
                assertUsable();
            } catch (IOException e) {
                throw new AssertionError("the instance is unusable after a rejected call", e);
            }
        }
    }

    /**
     * Nothing is waiting in the topic (so the refused call wrote nothing there), and an append and a
     * read still work: the probe is the next and only entry.
     */
    private void assertUsable() throws IOException {
        assertEquals(Optional.empty(), wal.readNext(TOPIC, false).map(e -> new String(e.data(), UTF_8)),
                "nothing may have been written to " + TOPIC);
        byte[] probe = ("probe-" + probes++).getBytes(UTF_8);
        wal.appendForTopic(TOPIC, probe);
        assertEquals(Optional.of(new String(probe, UTF_8)),
                wal.readNext(TOPIC, true).map(e -> new String(e.data(), UTF_8)), "the probe append reads back");
        assertEquals(Optional.empty(), wal.readNext(TOPIC, false).map(e -> new String(e.data(), UTF_8)),
                "only the probe was written");
    }

    /** After a reopen the topic holds nothing unread: only the (consumed) probes were ever written. */
    private void assertNothingPersistedBeyondProbes() throws IOException {
        assertTrue(probes > 0, "the test made no probe");
        try (Walrus reopened = open()) {
            assertEquals(Optional.empty(), reopened.readNext(TOPIC, true).map(e -> new String(e.data(), UTF_8)),
                    "after reopen, " + TOPIC + " must hold only the probes, all read");
        }
    }
}
