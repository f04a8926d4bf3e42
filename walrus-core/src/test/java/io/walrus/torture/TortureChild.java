package io.walrus.torture;

import io.walrus.Entry;
import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;
import io.walrus.testing.ChildSupport;
import io.walrus.testing.TestWals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM for the kill-point campaign: per topic, one thread appends {@link TortureEntry} payloads
 * (single appends and batches of up to {@link #MAX_BATCH}) and one thread reads them back (checkpointed
 * readNext, checkpointed batch reads of at most {@link #MAX_READ_BYTES}, and peeks), checking each
 * payload and its order. It prints {@code ACK <t> <last index>} when an append returns and
 * {@code READ <t> <last index>} when a checkpointed read returns, and {@code BAD <what>} (then exits 2)
 * on anything read that was not written or out of order. It runs until killed.
 *
 * <p>Arguments: dataDir seed fsync consistency starts, where fsync is {@code sync}, {@code ms:<n>} or
 * {@code none}, consistency is {@code strict} or {@code atleast:<n>}, and starts is the comma-separated
 * next index to append per topic ({@code t0}, {@code t1}, ...).
 */
public final class TortureChild {
    static final int MAX_BATCH = 40;
    static final int MAX_READ_BYTES = 8 << 10;

    private TortureChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        String[] starts = args[4].split(",");
        // Consumed files are deleted every 20 ms, so kills land before, during and after deletions.
        Walrus wal = TestWals.small(dir).fsync(fsync(args[2])).consistency(consistency(args[3]))
                .deleteConsumedFilesEvery(java.time.Duration.ofMillis(20)).open();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < starts.length; t++) {
            int topicIndex = t;
            long start = Long.parseLong(starts[t]);
            Random writes = new Random(seed * 31 + t);
            Random reads = new Random(seed * 37 + t);
            threads.add(Thread.ofPlatform().name("writer-" + t).start(() -> write(wal, topicIndex, start, writes)));
            threads.add(Thread.ofPlatform().name("reader-" + t).start(() -> read(wal, topicIndex, reads)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    static String topic(int index) {
        return "t" + index;
    }

    static FsyncSchedule fsync(String spec) {
        if (spec.equals("sync")) {
            return FsyncSchedule.syncEach();
        }
        if (spec.equals("none")) {
            return FsyncSchedule.noFsync();
        }
        return FsyncSchedule.milliseconds(Long.parseLong(spec.substring("ms:".length())));
    }

    static ReadConsistency consistency(String spec) {
        return spec.equals("strict") ? ReadConsistency.strictlyAtOnce()
                : ReadConsistency.atLeastOnce(Integer.parseInt(spec.substring("atleast:".length())));
    }

    private static void write(Walrus wal, int t, long start, Random random) {
        String topic = topic(t);
        long next = start;
        try {
            while (true) {
                int size = random.nextInt(4) == 0 ? 1 + random.nextInt(MAX_BATCH) : 1;
                if (size == 1) {
                    wal.appendForTopic(topic, new TortureEntry(topic, next, next, 1).encode());
                } else {
                    List<byte[]> batch = new ArrayList<>(size);
                    for (int j = 0; j < size; j++) {
                        batch.add(new TortureEntry(topic, next + j, next, size).encode());
                    }
                    wal.batchAppendForTopic(topic, batch);
                }
                next += size;
                ChildSupport.say("ACK " + t + " " + (next - 1));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void read(Walrus wal, int t, Random random) {
        String topic = topic(t);
        long last = -1; // the last index this reader saw in order; -1 until its first read
        try {
            while (true) {
                int kind = random.nextInt(10);
                List<byte[]> got = new ArrayList<>();
                boolean checkpoint = kind < 8;
                if (kind < 5 || kind == 9) {
                    Optional<Entry> entry = wal.readNext(topic, checkpoint);
                    entry.ifPresent(e -> got.add(e.data()));
                } else {
                    for (Entry e : wal.batchReadForTopic(topic, 1 + random.nextInt(MAX_READ_BYTES), checkpoint)) {
                        got.add(e.data());
                    }
                }
                if (got.isEmpty()) {
                    LockSupport.parkNanos(200_000); // caught up with the writer: poll again shortly
                    continue;
                }
                long expected = last + 1;
                for (byte[] payload : got) {
                    TortureEntry entry;
                    try {
                        entry = TortureEntry.decode(payload);
                    } catch (TortureEntry.BadPayload bad) {
                        bad(topic + ": " + bad.getMessage());
                        return;
                    }
                    if (!entry.topic().equals(topic) || (last >= 0 && entry.index() != expected)) {
                        bad(topic + ": read " + entry + " where entry " + expected + " was next");
                        return;
                    }
                    expected = entry.index() + 1;
                }
                if (checkpoint) {
                    last = expected - 1;
                    ChildSupport.say("READ " + t + " " + last);
                } else if (last < 0) {
                    last = TortureEntry.decode(got.getFirst()).index() - 1; // a peek: the cursor stays before it
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bad(String what) {
        ChildSupport.say("BAD " + what);
        Runtime.getRuntime().halt(2);
    }
}
