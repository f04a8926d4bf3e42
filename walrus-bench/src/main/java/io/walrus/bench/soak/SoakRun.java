package io.walrus.bench.soak;

import io.walrus.Entry;
import io.walrus.Walrus;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's workers: producers append to their share of the topics at a fixed total rate, round
 * robin; consumers drain their share with checkpointed batch reads and check that every topic's
 * entries arrive in order, each once. Each entry's first eight bytes are its sequence in its topic.
 */
final class SoakRun {
    /** Payload sizes cycle through 256 to 1,023 bytes. */
    static final int MIN_PAYLOAD = 256;
    static final int PAYLOAD_SPREAD = 768;
    private static final long BATCH_BYTES = 64 << 10;

    private final Walrus wal;
    private final int topics;
    private final long nanosPerEntry;
    private final int producers;
    private final int consumers;
    final AtomicLong appended = new AtomicLong();
    final AtomicLong appendedBytes = new AtomicLong();
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong consumedBytes = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    SoakRun(Walrus wal, int topics, int rate, int producers, int consumers) {
        this.wal = wal;
        this.topics = topics;
        this.nanosPerEntry = 1_000_000_000L * producers / rate;
        this.producers = producers;
        this.consumers = consumers;
    }

    static String topic(int t) {
        return "soak-" + t;
    }

    List<Thread> start() {
        List<Thread> threads = new java.util.ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p;
            threads.add(Thread.ofPlatform().name("soak-producer-" + p).start(() -> guard(() -> produce(first))));
        }
        for (int c = 0; c < consumers; c++) {
            int first = c;
            threads.add(Thread.ofPlatform().name("soak-consumer-" + c).start(() -> guard(() -> consume(first))));
        }
        return threads;
    }

    void stop(List<Thread> threads) throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    Throwable failure() {
        return failure;
    }

    private void produce(int first) throws Exception {
        int own = (topics - first + producers - 1) / producers;
        long[] next = new long[own];
        byte[][] payloads = new byte[PAYLOAD_SPREAD][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = new byte[MIN_PAYLOAD + i];
        }
        long due = System.nanoTime();
        int k = 0;
        while (running) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            int index = k % own;
            byte[] payload = payloads[(int) (next[index] % PAYLOAD_SPREAD)];
            ByteBuffer.wrap(payload).putLong(0, next[index]);
            wal.appendForTopic(topic(first + index * producers), payload);
            next[index]++;
            appended.incrementAndGet();
            appendedBytes.addAndGet(payload.length);
            k++;
            // Behind by more than a second (a slow disk): do not try to catch up in a burst.
            due = Math.max(due + nanosPerEntry, System.nanoTime() - 1_000_000_000L);
        }
    }

    private void consume(int first) throws Exception {
        int own = (topics - first + consumers - 1) / consumers;
        long[] expected = new long[own];
        while (running) {
            boolean any = false;
            for (int index = 0; index < own && running; index++) {
                String topic = topic(first + index * consumers);
                List<Entry> batch = wal.batchReadForTopic(topic, BATCH_BYTES, true);
                for (Entry entry : batch) {
                    long sequence = ByteBuffer.wrap(entry.data()).getLong(0);
                    if (sequence != expected[index]) {
                        throw new IllegalStateException(topic + ": expected entry " + expected[index] + ", got " + sequence);
                    }
                    expected[index]++;
                    consumedBytes.addAndGet(entry.data().length);
                }
                consumed.addAndGet(batch.size());
                any |= !batch.isEmpty();
            }
            if (!any) {
                LockSupport.parkNanos(1_000_000); // caught up everywhere: look again in a millisecond
            }
        }
    }

    private void guard(Work work) {
        try {
            work.run();
        } catch (Throwable e) {
            failure = e;
            running = false;
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }
}
