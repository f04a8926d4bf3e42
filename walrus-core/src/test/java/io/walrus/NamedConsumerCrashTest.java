package io.walrus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.ChildJvm;
import io.walrus.testing.ConsumerCheckpointReader;
import io.walrus.testing.Payloads;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three named consumers read one topic at three paces in a child JVM under strictlyAtOnce(), and the
 * child is killed with SIGKILL, three times over; then the rest is read in this process. Each consumer
 * must see every entry, none twice.
 */
class NamedConsumerCrashTest {
    private static final String TOPIC = "events";
    private static final List<String> CONSUMERS = List.of("indexer", "replicator", "audit");

    @TempDir
    Path dir;

    /**
     * The child prints {@code READ k i} after consumer k's readNext(checkpoint) returned entry i. If the
     * last such line for k was entry p, k's cursor was persisted past p, and at most one more readNext
     * of k (of p + 1) can have run after that print: its next entry is p + 1, or p + 2 when that
     * readNext persisted its checkpoint but the child died before printing. Lower would hand out a
     * checkpointed entry twice; higher would skip one never handed out.
     */
    @Test
    void threeConsumersAtDifferentPacesNeverSeeAnEntryTwiceAcrossKill9() throws IOException {
        int total = 3_000;
        try (Walrus wal = open()) {
            for (int i = 0; i < total; i++) {
                wal.appendForTopic(TOPIC, Payloads.entry(TOPIC, i));
            }
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] start = new long[CONSUMERS.size()];
        for (int round = 0; round < 3; round++) {
            int killAfterReads = 150 + random.nextInt(300);
            String where = "round " + round + " (kill after " + killAfterReads + " reads, seed " + seed + ")";
            long[] lastPrinted = readInChildUntilKilled(start, killAfterReads, where);
            try (Walrus wal = open()) {
                assertEquals(CONSUMERS.stream().sorted().toList(), wal.consumers(), where);
                for (int k = 0; k < CONSUMERS.size(); k++) {
                    long next = peekIndex(wal.consumer(CONSUMERS.get(k)), total);
                    long p = lastPrinted[k];
                    assertTrue(next == p + 1 || (next == p + 2 && p + 2 <= total), where + ": consumer "
                            + CONSUMERS.get(k) + " printed READ " + p + " last, so its next entry must be "
                            + (p + 1) + " or " + (p + 2) + " but is " + next);
                    start[k] = next;
                }
            }
        }
        assertTrue(start[2] > start[0], "consumer 2 reads three entries a round, consumer 0 one: "
                + Arrays.toString(start));
        try (Walrus wal = open()) {
            for (int k = 0; k < CONSUMERS.size(); k++) {
                assertRestIsContiguous(wal.consumer(CONSUMERS.get(k)), start[k], total);
            }
            assertEquals(Optional.of(0L), wal.readNext(TOPIC, false).map(e -> Payloads.indexOf(e.data())),
                    "the default consumer never moved");
        }
    }

    /** Runs the child until it printed {@code killAfterReads} reads (or consumed everything), kills it; the last entry each consumer printed. */
    private long[] readInChildUntilKilled(long[] start, int killAfterReads, String where) {
        long[] lastPrinted = new long[start.length];
        for (int k = 0; k < start.length; k++) {
            lastPrinted[k] = start[k] - 1;
        }
        List<String> args = new ArrayList<>(List.of(dir.toString(), TOPIC));
        args.addAll(CONSUMERS);
        try (ChildJvm child = ChildJvm.start(ConsumerCheckpointReader.class, args.toArray(String[]::new))) {
            int reads = 0;
            boolean exhausted = false;
            while (reads < killAfterReads && !exhausted) {
                String line = child.nextLine();
                if (line == null) {
                    fail(where + ": the reader stopped before it was killed" + child.diagnostics());
                }
                if (line.startsWith("READ ")) {
                    record(line, lastPrinted, where, child);
                    reads++;
                } else if (line.equals("EXHAUSTED")) {
                    exhausted = true;
                } else {
                    fail(where + ": unexpected line '" + line + "'" + child.diagnostics());
                }
            }
            for (String line : child.killAndDrain()) {
                if (line.startsWith("READ ")) {
                    record(line, lastPrinted, where, child);
                }
            }
        }
        return lastPrinted;
    }

    private static void record(String line, long[] lastPrinted, String where, ChildJvm child) {
        String[] parts = line.split(" ");
        int k = Integer.parseInt(parts[1]);
        long index = Long.parseLong(parts[2]);
        assertEquals(lastPrinted[k] + 1, index, where + ": consumer " + k + " got entries out of order or repeated"
                + child.diagnostics());
        lastPrinted[k] = index;
    }

    private static long peekIndex(Consumer consumer, int total) throws IOException {
        Optional<Entry> next = consumer.readNext(TOPIC, false);
        if (next.isEmpty()) {
            return total;
        }
        long index = Payloads.indexOf(next.get().data());
        assertArrayEquals(Payloads.entry(TOPIC, index), next.get().data(), "payload of entry " + index);
        return index;
    }

    private static void assertRestIsContiguous(Consumer consumer, long from, int total) throws IOException {
        long next = from;
        List<Entry> batch;
        while (!(batch = consumer.batchReadForTopic(TOPIC, 1 << 20, true)).isEmpty()) {
            for (Entry entry : batch) {
                assertEquals(next++, Payloads.indexOf(entry.data()), consumer + " reading the rest");
            }
        }
        assertEquals(total, next, consumer + ": entries read after the kills end at the last one written");
    }

    private Walrus open() throws IOException {
        return TestWals.small(dir).consistency(ReadConsistency.strictlyAtOnce()).fsync(FsyncSchedule.noFsync()).open();
    }
}
