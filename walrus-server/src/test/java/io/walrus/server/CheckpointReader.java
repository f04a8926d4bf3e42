package io.walrus.server;

import io.walrus.Entry;
import io.walrus.WalrusConsumer;
import io.walrus.WalrusLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A consumer reading one topic with checkpoints through a client while faults happen: single reads,
 * waiting reads, batch reads and peeks, drawn at random, each outcome recorded in order. Then
 * {@link #check} walks the record along the topic as the nodes hold it: the cluster's cursors are
 * strictly-at-once (docs/CLUSTER.md), so no entry is handed out twice, each read continues exactly
 * where the last ended, and entries are passed over only as many as failed reads may have taken
 * (a read that fails may have moved the cursor: its answer is lost).
 */
final class CheckpointReader {
    /** The shortest payload a writer appends ({@code w0-0}): bounds how many entries one batch read can take. */
    private static final int SHORTEST_PAYLOAD = 4;
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final long DRAIN_BYTES = 64 << 10;

    private sealed interface Outcome {
    }

    private record Delivered(List<String> entries) implements Outcome {
    }

    /** A checkpointing read that failed: it may have taken up to this many entries. */
    private record Failed(int mayHaveTaken, String error) implements Outcome {
    }

    /** A peek: the entry at the cursor then. */
    private record Peeked(String entry) implements Outcome {
    }

    private interface Reads {
        Optional<Entry> next(Duration wait) throws IOException;

        Optional<Entry> peek() throws IOException;

        List<Entry> batch(long maxBytes) throws IOException;
    }

    private final String name;
    private final String topic;
    private final Reads reads;
    private final Random random;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean draining;
    private volatile Throwable died;

    private CheckpointReader(String name, String topic, Reads reads, Random random) {
        this.name = name;
        this.topic = topic;
        this.reads = reads;
        this.random = random;
        this.thread = new Thread(this::run, "reader-" + name);
    }

    /** The named consumer {@code consumer} reading {@code topic}. */
    static CheckpointReader named(WalrusConsumer consumer, String topic, Random random) {
        return new CheckpointReader("consumer '" + consumer.name() + "'", topic, new Reads() {
            public Optional<Entry> next(Duration wait) throws IOException {
                return consumer.readNext(topic, true, wait);
            }

            public Optional<Entry> peek() throws IOException {
                return consumer.readNext(topic, false);
            }

            public List<Entry> batch(long maxBytes) throws IOException {
                return consumer.batchReadForTopic(topic, maxBytes, true);
            }
        }, random);
    }

    /** The default consumer of {@code log} reading {@code topic}. */
    static CheckpointReader byDefault(WalrusLog log, String topic, Random random) {
        return new CheckpointReader("the default consumer", topic, new Reads() {
            public Optional<Entry> next(Duration wait) throws IOException {
                return log.readNext(topic, true, wait);
            }

            public Optional<Entry> peek() throws IOException {
                return log.readNext(topic, false);
            }

            public List<Entry> batch(long maxBytes) throws IOException {
                return log.batchReadForTopic(topic, maxBytes, true);
            }
        }, random);
    }

    String topic() {
        return topic;
    }

    void start() {
        thread.start();
    }

    /** Reads on until a read finds nothing left (the writers must have stopped), then stops. */
    void drainAndStop() throws InterruptedException {
        draining = true;
        thread.join(300_000);
        assertTrue(!thread.isAlive(), name + " did not reach the end of '" + topic + "' within 300 s");
        if (died != null) {
            throw new AssertionError(name + "'s reader died: " + died, died);
        }
    }

    private void run() {
        try {
            boolean foundNothing = false;
            while (!(draining && foundNothing)) {
                foundNothing = readOnce(foundNothing) == 0;
            }
        } catch (IllegalStateException closed) {
            // The client was closed under it: the test is failing anyway.
        } catch (Throwable e) {
            died = e;
        }
    }

    /**
     * One read of a kind drawn at random (a waiting one after finding nothing: no busy loop; large
     * batches once draining, to catch up with what the writers left); the entries delivered, -1 if it
     * failed.
     */
    private int readOnce(boolean foundNothing) {
        int kind = draining ? 3 : foundNothing ? 1 : random.nextInt(4);
        long maxBytes = draining ? DRAIN_BYTES : 16 + random.nextInt(2048);
        int mayTake = kind == 3 ? (int) Math.max(1, maxBytes / SHORTEST_PAYLOAD) : 1;
        try {
            List<String> got = switch (kind) {
                case 0 -> texts(reads.next(Duration.ZERO).stream().toList());
                case 1 -> texts(reads.next(WAIT).stream().toList());
                case 2 -> {
                    Optional<Entry> peeked = reads.peek();
                    peeked.ifPresent(e -> record(new Peeked(text(e))));
                    yield texts(reads.next(Duration.ZERO).stream().toList());
                }
                default -> texts(reads.batch(maxBytes));
            };
            record(new Delivered(got));
            return got.size();
        } catch (IOException e) {
            // A failed peek moves no cursor; counting it as a read that may have taken one only loosens the check.
            record(new Failed(mayTake, e.getMessage()));
            return -1;
        }
    }

    private synchronized void record(Outcome outcome) {
        outcomes.add(outcome);
    }

    synchronized long delivered() {
        return outcomes.stream().filter(o -> o instanceof Delivered).mapToLong(o -> ((Delivered) o).entries().size()).sum();
    }

    /** How many reads failed, and why the first did. */
    synchronized String failures() {
        List<Failed> failed = outcomes.stream().filter(o -> o instanceof Failed).map(o -> (Failed) o).toList();
        return failed.size() + " failed reads" + (failed.isEmpty() ? "" : " (the first: " + failed.getFirst().error() + ")");
    }

    /**
     * The record against {@code held}, the topic as every node holds it (entries unique): each read
     * continues where the last ended, nothing is delivered twice or out of order, nothing delivered
     * that the topic does not hold, a peek shows the entry at the cursor, and entries are passed over
     * (here or at the end) only up to what failed reads may have taken.
     */
    synchronized void check(List<String> held) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < held.size(); i++) {
            position.put(held.get(i), i);
        }
        int cursor = 0;
        long mayBeTaken = 0;
        for (int o = 0; o < outcomes.size(); o++) {
            Outcome outcome = outcomes.get(o);
            String at = name + "'s read " + o + " of '" + topic + "' (cursor " + cursor + " of " + held.size() + ")";
            switch (outcome) {
                case Failed failed -> mayBeTaken += failed.mayHaveTaken();
                case Peeked peeked -> {
                    if (mayBeTaken == 0) {
                        assertTrue(cursor < held.size(), at + ": a peek showed " + peeked.entry() + " past the end");
                        assertEquals(held.get(cursor), peeked.entry(), at + ": a peek showed another entry than the next");
                    }
                }
                case Delivered delivered -> {
                    if (delivered.entries().isEmpty()) {
                        continue;
                    }
                    Integer first = position.get(delivered.entries().getFirst());
                    if (first == null) {
                        fail(at + ": delivered " + delivered.entries().getFirst() + ", which no node holds");
                    }
                    if (first < cursor) {
                        fail(at + ": delivered " + delivered.entries().getFirst() + " (entry " + first
                                + ") again: it was handed out before");
                    }
                    long passedOver = first - cursor;
                    if (passedOver > mayBeTaken) {
                        fail(at + ": skipped " + passedOver + " entries (" + held.get(cursor) + " on), but failed reads"
                                + " may have taken only " + mayBeTaken);
                    }
                    mayBeTaken -= passedOver;
                    for (int i = 0; i < delivered.entries().size(); i++) {
                        assertTrue(first + i < held.size() && held.get(first + i).equals(delivered.entries().get(i)),
                                at + ": delivered " + delivered.entries() + ", not a run of the topic from entry " + first);
                    }
                    cursor = first + delivered.entries().size();
                }
            }
        }
        long leftOver = held.size() - cursor;
        assertTrue(leftOver <= mayBeTaken, name + " stopped at entry " + cursor + " of '" + topic + "' with "
                + held.size() + " held: " + leftOver + " never delivered, more than failed reads may have taken ("
                + mayBeTaken + ")");
    }

    private static List<String> texts(List<Entry> entries) {
        return entries.stream().map(CheckpointReader::text).toList();
    }

    private static String text(Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name + " of '" + topic + "'";
    }
}
