package io.walrus.server;

import io.walrus.WalrusLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Client threads appending numbered entries ({@code w<writer>-<seq>}, or batches of them) through one
 * log, recording which calls were acknowledged and which failed (and so may or may not have taken),
 * and the checks of what the nodes hold against that record.
 */
final class Writers {
    private final WalrusLog log;
    private final List<String> topics;
    private final int batchSize;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Per writer: the next sequence it will try; what was acknowledged; what failed. */
    private final Map<Integer, Long> attempted = new ConcurrentHashMap<>();
    private final Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, Set<Long>> uncertain = new ConcurrentHashMap<>();
    private static final int FAILURES_KEPT = 20;
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final Progress acks = new Progress();
    /** Writers stopped by an exception a call must not throw (a failure is an IOException). */
    private final List<String> deaths = new CopyOnWriteArrayList<>();

    /** {@code batchSize} 0: single appends; otherwise batches of that many entries. */
    Writers(WalrusLog log, int writers, List<String> topics, int batchSize) {
        this.log = log;
        this.topics = List.copyOf(topics);
        this.batchSize = batchSize;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            acknowledged.put(writer, ConcurrentHashMap.newKeySet());
            uncertain.put(writer, ConcurrentHashMap.newKeySet());
            attempted.put(writer, 0L);
            Thread thread = new Thread(() -> run(writer), "writer-" + writer);
            thread.setUncaughtExceptionHandler((t, e) -> deaths.add(t.getName() + " died: " + e));
            threads.add(thread);
        }
    }

    String topicOf(int writer) {
        return topics.get(writer % topics.size());
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void run(int writer) {
        long seq = 0;
        while (!stop.get()) {
            int count = batchSize == 0 ? 1 : batchSize;
            attempted.put(writer, seq + count);
            try {
                if (batchSize == 0) {
                    log.appendForTopic(topicOf(writer), payload(writer, seq));
                } else {
                    List<byte[]> batch = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        batch.add(payload(writer, seq + i));
                    }
                    log.batchAppendForTopic(topicOf(writer), batch);
                }
                for (int i = 0; i < count; i++) {
                    acknowledged.get(writer).add(seq + i);
                }
                acks.add(count);
            } catch (IOException e) {
                for (int i = 0; i < count; i++) {
                    uncertain.get(writer).add(seq + i);
                }
                if (failures.size() < FAILURES_KEPT) {
                    failures.add("writer " + writer + ", entries from " + seq + ": " + e.getMessage());
                }
            } catch (IllegalStateException closed) {
                return;
            }
            seq += count;
        }
    }

    private static byte[] payload(int writer, long seq) {
        return ("w" + writer + "-" + seq).getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the writers after their call in flight and waits for them. Idempotent. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(120_000);
        }
    }

    /** Every writer ran until stopped: none was ended by an exception other than an IOException. */
    void checkNoneDied() {
        assertTrue(deaths.isEmpty(), "writers stopped by an unexpected exception: " + deaths);
    }

    /** The calls that failed (their entries may or may not be there), the first {@value #FAILURES_KEPT}: for a failure's message. */
    String failedCalls() {
        return failures.isEmpty() ? "none" : String.join("; ", failures);
    }

    long acknowledgedCount() {
        return acknowledged.values().stream().mapToLong(Set::size).sum();
    }

    /**
     * What one node (all agree, see {@link Replicas}) holds of {@code topic}: every acknowledged entry
     * of its writers exactly once, each writer's entries in the order it wrote them, nothing that was
     * never tried, and batches whole.
     */
    void checkTopic(String topic, List<String> held) {
        Set<String> seen = new HashSet<>();
        Map<Integer, Long> lastSeq = new ConcurrentHashMap<>();
        for (int i = 0; i < held.size(); i++) {
            String entry = held.get(i);
            assertTrue(seen.add(entry), "entry " + entry + " of '" + topic + "' is there twice (second at " + i + ")");
            int dash = entry.indexOf('-');
            int writer = Integer.parseInt(entry.substring(1, dash));
            long seq = Long.parseLong(entry.substring(dash + 1));
            assertEquals(topic, topicOf(writer), "entry " + entry + " is in the wrong topic");
            assertTrue(seq < attempted.get(writer), "entry " + entry + " was never appended");
            Long previous = lastSeq.put(writer, seq);
            assertTrue(previous == null || previous < seq, "writer " + writer + "'s entries are out of order in '"
                    + topic + "': " + previous + " before " + seq);
            if (batchSize > 0 && seq % batchSize == 0) {
                for (int b = 1; b < batchSize; b++) {
                    String expected = "w" + writer + "-" + (seq + b);
                    if (i + b >= held.size() || !held.get(i + b).equals(expected)) {
                        fail("batch starting at " + entry + " in '" + topic + "' is not whole: expected " + expected
                                + " at " + (i + b));
                    }
                }
            }
        }
        for (int writer : acknowledged.keySet()) {
            if (!topicOf(writer).equals(topic)) {
                continue;
            }
            for (long seq : acknowledged.get(writer)) {
                if (!seen.contains("w" + writer + "-" + seq)) {
                    fail("acknowledged entry w" + writer + "-" + seq + " is missing from '" + topic + "'");
                }
            }
        }
    }
}
