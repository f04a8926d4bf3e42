package io.walrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.ChildJvm;
import io.walrus.testing.CrashAppender;
import io.walrus.testing.CrashBatchAppender;
import io.walrus.testing.Payloads;
import io.walrus.testing.TestBackend;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends under syncEach() and says which appends returned; the test kills it with
 * SIGKILL at a random point and reopens the directory. Every acknowledged entry must be there, in
 * order, and nothing else but at most the one append per thread that was in flight.
 *
 * <p>The same directory goes through several kills: each round the child first recovers what the
 * previous one left (possibly a torn tail) and appends after it, alternating the backend under test
 * ({@link TestBackend}) with the other one, with 64 KiB blocks and 4 blocks per file so entries and batches cross both.
 */
class CrashRecoveryTest {
    /** The backend under test, then the other one on what it left, then the one under test again. */
    private static final StorageBackend[] BACKEND_BY_ROUND = {TestBackend.current().storageBackend(),
            TestBackend.current().otherStorageBackend(), TestBackend.current().storageBackend()};
    /** Topics (and so writer threads) per round: one alone, then several sharing group commits. */
    private static final int[] TOPICS_BY_ROUND = {1, 3, 4};
    private static final int MAX_APPENDS_PER_TOPIC = 100_000;

    @TempDir
    Path dir;

    @Test
    void entriesAcknowledgedUnderSyncEachSurviveKill9() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String prefix = "topic-";
        long[] next = new long[TOPICS_BY_ROUND[TOPICS_BY_ROUND.length - 1]]; // first unverified index per topic

        for (int round = 0; round < TOPICS_BY_ROUND.length; round++) {
            int topics = TOPICS_BY_ROUND[round];
            StorageBackend backend = BACKEND_BY_ROUND[round];
            int killAfterAcks = 300 + random.nextInt(300);
            String where = "round " + round + " (" + backend + ", " + topics + " topics, kill after "
                    + killAfterAcks + " acks, seed " + seed + ")";

            long[] highestAck = new long[topics];
            for (int t = 0; t < topics; t++) {
                highestAck[t] = next[t] - 1;
            }
            String starts = LongStream.of(Arrays.copyOf(next, topics)).mapToObj(Long::toString)
                    .collect(Collectors.joining(","));
            try (ChildJvm child = ChildJvm.start(CrashAppender.class, dir.toString(), backend.name(), prefix,
                    starts, Integer.toString(MAX_APPENDS_PER_TOPIC))) {
                int acks = 0;
                while (acks < killAfterAcks) {
                    String line = child.nextLine();
                    if (line == null) {
                        fail(where + ": the child stopped before it was killed" + child.diagnostics());
                    }
                    if (recordAck(line, highestAck, child)) {
                        acks++;
                    }
                }
                for (String line : child.killAndDrain()) {
                    recordAck(line, highestAck, child);
                }
            }

            try (Walrus wal = TestWals.small(dir, backend).fsync(FsyncSchedule.noFsync()).open()) {
                for (int t = 0; t < topics; t++) {
                    String topic = prefix + t;
                    long recovered = next[t];
                    Optional<Entry> entry;
                    while ((entry = wal.readNext(topic, true)).isPresent()) {
                        byte[] expected = Payloads.entry(topic, recovered);
                        byte[] actual = entry.get().data();
                        if (!Arrays.equals(expected, actual)) {
                            fail(where + ": " + topic + " entry " + recovered + " should be "
                                    + Payloads.describe(expected) + " but is " + Payloads.describe(actual));
                        }
                        recovered++;
                    }
                    long acked = highestAck[t];
                    assertTrue(recovered >= acked + 1, where + ": " + topic + " lost acknowledged entries: "
                            + "highest acknowledged " + acked + " but only entries up to " + (recovered - 1) + " recovered");
                    assertTrue(recovered <= acked + 2, where + ": " + topic + " has entries up to "
                            + (recovered - 1) + " but the highest acknowledged was " + acked
                            + ", and only one append can have been in flight");
                    next[t] = recovered;
                }
            }
        }

        // The verifying reads above checkpointed everything; nothing may reappear after another reopen.
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open()) {
            for (int t = 0; t < next.length; t++) {
                assertEquals(Optional.empty(), wal.readNext(prefix + t, false).map(e -> Payloads.describe(e.data())),
                        prefix + t + " after its last entry " + (next[t] - 1));
            }
        }
    }

    @Test
    void batchesUnderSyncEachAreAllOrNothingAcrossKill9() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String prefix = "batches-";
        int topics = 2;
        int rounds = BACKEND_BY_ROUND.length;
        int[] nextBatch = new int[topics];

        for (int round = 0; round < rounds; round++) {
            StorageBackend backend = BACKEND_BY_ROUND[round];
            int killAfterAcks = 15 + random.nextInt(15);
            String where = "round " + round + " (" + backend + ", kill after " + killAfterAcks + " batch acks, seed "
                    + seed + ")";
            long[] highestAck = new long[topics];
            for (int t = 0; t < topics; t++) {
                highestAck[t] = nextBatch[t] - 1;
            }
            String starts = Arrays.stream(nextBatch).mapToObj(Integer::toString).collect(Collectors.joining(","));
            try (ChildJvm child = ChildJvm.start(CrashBatchAppender.class, dir.toString(), backend.name(), prefix,
                    starts, Long.toString(seed), "100000")) {
                int acks = 0;
                while (acks < killAfterAcks) {
                    String line = child.nextLine();
                    if (line == null) {
                        fail(where + ": the child stopped before it was killed" + child.diagnostics());
                    }
                    if (recordBatchAck(line, highestAck, child)) {
                        acks++;
                    }
                }
                for (String line : child.killAndDrain()) {
                    recordBatchAck(line, highestAck, child);
                }
            }

            try (Walrus wal = TestWals.small(dir, backend).fsync(FsyncSchedule.noFsync()).open()) {
                for (int t = 0; t < topics; t++) {
                    String topic = prefix + t;
                    List<byte[]> recovered = readAll(wal, topic);
                    int batch = nextBatch[t];
                    int at = 0;
                    while (at < recovered.size()) {
                        int size = Payloads.batchSize(seed, t, batch);
                        if (recovered.size() - at < size) {
                            fail(where + ": " + topic + " batch " + batch + " is torn: " + (recovered.size() - at)
                                    + " of its " + size + " entries survived");
                        }
                        for (int j = 0; j < size; j++) {
                            byte[] expected = Payloads.batchEntry(topic, batch, j);
                            byte[] actual = recovered.get(at + j);
                            if (!Arrays.equals(expected, actual)) {
                                fail(where + ": " + topic + " batch " + batch + " entry " + j + " should be "
                                        + Payloads.describe(expected) + " but is " + Payloads.describe(actual));
                            }
                        }
                        at += size;
                        batch++;
                    }
                    long acked = highestAck[t];
                    assertTrue(batch >= acked + 1, where + ": " + topic + " lost acknowledged batches: highest "
                            + "acknowledged " + acked + " but only batches up to " + (batch - 1) + " recovered");
                    assertTrue(batch <= acked + 2, where + ": " + topic + " has batches up to " + (batch - 1)
                            + " but the highest acknowledged was " + acked + ", and only one can have been in flight");
                    nextBatch[t] = batch;
                }
            }
        }
    }

    /** Reads with checkpoint through batchReadForTopic until the topic is consumed. */
    private static List<byte[]> readAll(Walrus wal, String topic) throws IOException {
        List<byte[]> all = new ArrayList<>();
        List<Entry> batch;
        while (!(batch = wal.batchReadForTopic(topic, 256 << 10, true)).isEmpty()) {
            batch.forEach(e -> all.add(e.data()));
        }
        return all;
    }

    /** {@code ACK <t> <i>}: acknowledgements of one topic come one by one, in order. */
    private static boolean recordAck(String line, long[] highestAck, ChildJvm child) {
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[0].equals("ACK")) {
            return false;
        }
        int topic = Integer.parseInt(parts[1]);
        long index = Long.parseLong(parts[2]);
        assertEquals(highestAck[topic] + 1, index, "acknowledgements of topic " + topic + " out of order"
                + child.diagnostics());
        highestAck[topic] = index;
        return true;
    }

    /** {@code ACK batch <t> <n>}. */
    private static boolean recordBatchAck(String line, long[] highestAck, ChildJvm child) {
        String[] parts = line.split(" ");
        if (parts.length != 4 || !parts[0].equals("ACK") || !parts[1].equals("batch")) {
            return false;
        }
        int topic = Integer.parseInt(parts[2]);
        long batch = Long.parseLong(parts[3]);
        assertEquals(highestAck[topic] + 1, batch, "batch acknowledgements of topic " + topic + " out of order"
                + child.diagnostics());
        highestAck[topic] = batch;
        return true;
    }
}
