package io.walrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads appending to the same topics at once, and checkpointing readers racing them. Every
 * entry says who wrote it, to which topic, and its number in that writer's stream for that topic, so
 * the read-back proves no loss, no duplicate and, per writer, commit order.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // only a guard against a deadlock hanging the build
class ConcurrentAppendTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendersToSharedTopicsLoseDuplicateAndReorderNothing() throws Exception {
        int writers = 8;
        int topics = 8;
        int perWriterPerTopic = 20_000;
        try (Walrus wal = open()) {
            runConcurrently(writers, writer -> {
                for (int i = 0; i < perWriterPerTopic; i++) {
                    for (int k = 0; k < topics; k++) {
                        int topic = (writer + k) % topics;
                        wal.appendForTopic(topicName(topic), encode(writer, topic, i));
                    }
                }
            });
            // Half the topics read back by the instance that wrote them, from blocks still being written...
            for (int topic = 0; topic < topics / 2; topic++) {
                assertTopicHoldsEveryEntryOnceInOrder(wal, topic, writers, perWriterPerTopic);
            }
        }
        // ...and half after a reopen, from what recovery found.
        try (Walrus wal = open()) {
            for (int topic = topics / 2; topic < topics; topic++) {
                assertTopicHoldsEveryEntryOnceInOrder(wal, topic, writers, perWriterPerTopic);
            }
            for (int topic = 0; topic < topics; topic++) {
                assertEquals(Optional.empty(), wal.readNext(topicName(topic), false).map(e -> describe(e.data())),
                        topicName(topic) + " after everything was read");
            }
        }
    }

    @Test
    void checkpointingReadersRacingWritersSeeEveryEntryExactlyOnce() throws Exception {
        int writers = 4;
        int readers = 3;
        int topics = 4;
        int perWriterPerTopic = 5_000;
        AtomicIntegerArray[] timesRead = new AtomicIntegerArray[topics];
        for (int topic = 0; topic < topics; topic++) {
            timesRead[topic] = new AtomicIntegerArray(writers * perWriterPerTopic);
        }
        AtomicBoolean writersDone = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        try (Walrus wal = open()) {
            List<Thread> readerThreads = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                int reader = r;
                readerThreads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                    try {
                        readUntilDrained(wal, reader, topics, writers, writersDone, timesRead);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            try {
                runConcurrently(writers, writer -> {
                    for (int i = 0; i < perWriterPerTopic; i++) {
                        for (int k = 0; k < topics; k++) {
                            int topic = (writer + k) % topics;
                            wal.appendForTopic(topicName(topic), encode(writer, topic, i));
                        }
                    }
                });
            } finally {
                writersDone.set(true);
                for (Thread reader : readerThreads) {
                    reader.join();
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError("a reader failed: " + failures.peek(), failures.peek());
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
            for (int topic = 0; topic < topics; topic++) {
                for (int slot = 0; slot < writers * perWriterPerTopic; slot++) {
                    int times = timesRead[topic].get(slot);
                    if (times != 1) {
                        fail(topicName(topic) + ": entry " + (slot % perWriterPerTopic) + " of writer "
                                + (slot / perWriterPerTopic) + " was handed out " + times + " times across the readers");
                    }
                }
                assertEquals(Optional.empty(), wal.readNext(topicName(topic), false).map(e -> describe(e.data())),
                        topicName(topic) + " after the readers drained it");
            }
        }
    }

    /**
     * One reader: round-robin over the topics with readNext and batchReadForTopic, checkpointing,
     * until the writers were done before a round that found nothing (then nothing more can come).
     * Every reader sees each writer's entries of a topic in increasing order.
     */
    private static void readUntilDrained(Walrus wal, int reader, int topics, int writers, AtomicBoolean writersDone,
            AtomicIntegerArray[] timesRead) throws IOException {
        int perWriterPerTopic = timesRead[0].length() / writers;
        int[][] lastSeen = new int[topics][writers];
        for (int[] row : lastSeen) {
            java.util.Arrays.fill(row, -1);
        }
        long calls = 0;
        while (true) {
            boolean writersWereDone = writersDone.get();
            boolean gotAny = false;
            for (int k = 0; k < topics; k++) {
                int topic = (reader + k) % topics;
                List<byte[]> got = new ArrayList<>();
                if (calls++ % 2 == 0) {
                    wal.readNext(topicName(topic), true).ifPresent(e -> got.add(e.data()));
                } else {
                    wal.batchReadForTopic(topicName(topic), 2_048, true).forEach(e -> got.add(e.data()));
                }
                for (byte[] data : got) {
                    gotAny = true;
                    int[] decoded = decode(data, topic);
                    int writer = decoded[0];
                    int counter = decoded[1];
                    assertTrue(writer < writers && counter < perWriterPerTopic, "unexpected entry " + describe(data));
                    assertTrue(counter > lastSeen[topic][writer], "reader " + reader + " got " + describe(data)
                            + " after entry " + lastSeen[topic][writer] + " of the same writer: out of commit order");
                    lastSeen[topic][writer] = counter;
                    timesRead[topic].incrementAndGet(writer * perWriterPerTopic + counter);
                }
            }
            if (!gotAny && writersWereDone) {
                return;
            }
            if (!gotAny) {
                Thread.onSpinWait();
            }
        }
    }

    private static void assertTopicHoldsEveryEntryOnceInOrder(Walrus wal, int topic, int writers, int perWriter)
            throws IOException {
        int[] next = new int[writers];
        boolean useBatches = topic % 2 == 1;
        while (true) {
            List<byte[]> got = new ArrayList<>();
            if (useBatches) {
                wal.batchReadForTopic(topicName(topic), 1 << 20, true).forEach(e -> got.add(e.data()));
            } else {
                wal.readNext(topicName(topic), true).ifPresent(e -> got.add(e.data()));
            }
            if (got.isEmpty()) {
                break;
            }
            for (byte[] data : got) {
                int[] decoded = decode(data, topic);
                int writer = decoded[0];
                int counter = decoded[1];
                if (writer >= writers) {
                    fail(topicName(topic) + ": entry from unknown writer " + describe(data));
                }
                if (counter != next[writer]) {
                    fail(topicName(topic) + ": after entry " + (next[writer] - 1) + " of writer " + writer + " came "
                            + counter + (counter < next[writer] ? " (a duplicate or reordering)"
                                    : " (entries " + next[writer] + ".." + (counter - 1) + " lost or reordered)"));
                }
                next[writer]++;
            }
        }
        for (int writer = 0; writer < writers; writer++) {
            assertEquals(perWriter, next[writer], topicName(topic) + ": entries of writer " + writer);
        }
    }

    // ------------------------------------------------------------------ payloads

    /** writer, topic, counter, then 0 to 22 bytes of padding that depend on all three. */
    private static byte[] encode(int writer, int topic, int counter) {
        int padding = (counter * 7 + writer) % 23;
        ByteBuffer buffer = ByteBuffer.allocate(12 + padding).putInt(writer).putInt(topic).putInt(counter);
        for (int k = 0; k < padding; k++) {
            buffer.put(paddingByte(writer, topic, counter, k));
        }
        return buffer.array();
    }

    /** {writer, counter}, after checking the payload is intact and belongs to {@code topic}. */
    private static int[] decode(byte[] data, int topic) {
        if (data.length < 12) {
            fail(topicName(topic) + ": a " + data.length + "-byte entry, none of which was written");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int writer = buffer.getInt();
        int entryTopic = buffer.getInt();
        int counter = buffer.getInt();
        if (entryTopic != topic || writer < 0 || counter < 0) {
            fail(topicName(topic) + ": got " + describe(data));
        }
        int padding = (counter * 7 + writer) % 23;
        if (data.length != 12 + padding) {
            fail(topicName(topic) + ": " + describe(data) + " has " + data.length + " bytes, written with " + (12 + padding));
        }
        for (int k = 0; k < padding; k++) {
            if (data[12 + k] != paddingByte(writer, topic, counter, k)) {
                fail(topicName(topic) + ": " + describe(data) + " corrupted at byte " + (12 + k));
            }
        }
        return new int[] {writer, counter};
    }

    private static byte paddingByte(int writer, int topic, int counter, int k) {
        return (byte) (writer * 31 + topic * 17 + counter + k);
    }

    private static String describe(byte[] data) {
        if (data.length < 12) {
            return data.length + "-byte entry";
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        return "[writer " + buffer.getInt() + ", topic " + buffer.getInt() + ", entry " + buffer.getInt() + "]";
    }

    private static String topicName(int topic) {
        return "shared-" + topic;
    }

    // ------------------------------------------------------------------ plumbing

    /** 128 KiB blocks, 8 per file: every topic rolls over blocks and the log over files. */
    private Walrus open() throws IOException {
        return TestWals.builder().dataDir(dir).blockSize(128 << 10).blocksPerFile(8)
                .fsync(FsyncSchedule.noFsync()).consistency(ReadConsistency.atLeastOnce(10_000)).open();
    }

    private interface WriterBody {
        void run(int writer) throws Exception;
    }

    /** Runs the body on {@code threads} threads released together; rethrows the first failure. */
    private static void runConcurrently(int threads, WriterBody body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int writer = t;
            started.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                try {
                    go.await();
                    body.run(writer);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a writer failed: " + failures.peek(), failures.peek());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }
}
