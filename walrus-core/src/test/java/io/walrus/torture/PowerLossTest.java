package io.walrus.torture;

import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.log.LogConfig;
import io.walrus.log.WriteAheadLog;
import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss, which kill -9 cannot show: writes not yet forced live only in a simulated page cache
 * ({@link PowerLossDataFiles}), and the power goes at a random moment while several threads append
 * under syncEach() with group commit, in one file lane or in a lane per topic. Of every unforced write a random part survives (none, all, or a
 * torn prefix). After reopening on the real files, every append that returned is there, whole and in
 * order, every batch is all or nothing, and open() copes with whatever the loss left.
 */
class PowerLossTest {
    private static final int TOPICS = 3;
    private static final int MAX_BATCH = 40;
    private static final int BLOCK = 64 << 10;

    @TempDir
    Path scratch;

    @Test
    void appendsAcknowledgedUnderSyncEachSurvivePowerLossAtRandomMoments() throws Exception {
        int losses = TortureSettings.powerLosses();
        long seed = TortureSettings.seed();
        Random random = new Random(seed);
        System.out.println("power-loss campaign: " + losses + " power losses, seed " + seed);
        for (int i = 0; i < losses; i++) {
            try {
                loseOnce(Files.createDirectory(scratch.resolve("loss-" + i)), random);
            } catch (AssertionError e) {
                throw new AssertionError("power loss " + i + " of " + losses + " failed; "
                        + TortureSettings.replay(seed, TortureSettings.POWER_LOSSES, i + 1) + "\n" + e.getMessage(), e);
            }
        }
    }

    private static void loseOnce(Path dir, Random random) throws Exception {
        PowerLossDataFiles files = new PowerLossDataFiles();
        // One lane (every writer in one group commit) or a lane per topic (flushes side by side, each
        // forcing only its own files and recording only its own blocks' seals).
        int lanes = random.nextBoolean() ? 1 : TOPICS;
        WriteAheadLog log = WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.syncEach(), false, BLOCK, 4, lanes,
                files));
        AtomicLongArray highestAck = new AtomicLongArray(TOPICS);
        CountDownLatch acks = new CountDownLatch(random.nextInt(400));
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < TOPICS; t++) {
            int topicIndex = t;
            highestAck.set(t, -1);
            Random writes = new Random(random.nextLong());
            writers.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                String topic = TortureChild.topic(topicIndex);
                long next = 0;
                try {
                    while (true) {
                        int size = writes.nextInt(4) == 0 ? 1 + writes.nextInt(MAX_BATCH) : 1;
                        if (size == 1) {
                            log.append(topic, new TortureEntry(topic, next, next, 1).encode());
                        } else {
                            byte[][] batch = new byte[size][];
                            for (int j = 0; j < size; j++) {
                                batch[j] = new TortureEntry(topic, next + j, next, size).encode();
                            }
                            log.batchAppend(topic, batch);
                        }
                        next += size;
                        highestAck.set(topicIndex, next - 1);
                        acks.countDown();
                    }
                } catch (IOException expected) {
                    // the power is off: appends fail from here on
                }
            }));
        }
        if (!acks.await(60, TimeUnit.SECONDS)) {
            fail("the writers did not make progress");
        }
        files.losePower(random);
        for (Thread writer : writers) {
            writer.join();
        }
        try {
            log.close();
        } catch (IOException expected) {
            // the final flush fails too: the power is off
        }

        List<String> violations = new ArrayList<>();
        try (WriteAheadLog reopened = WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.onCloseOnly(), false,
                BLOCK, 4, 1, DataFiles.CHANNEL))) {
            for (int t = 0; t < TOPICS; t++) {
                String topic = TortureChild.topic(t);
                TopicAudit audit = new TopicAudit(topic, 0);
                List<byte[]> batch;
                while (!(batch = reopened.batchRead(topic, 1 << 20, 2000, true)).isEmpty()) {
                    batch.forEach(audit::accept);
                }
                audit.end();
                violations.addAll(audit.violations());
                long recovered = audit.nextIndex() - 1;
                if (recovered < highestAck.get(t)) {
                    violations.add(topic + ": acknowledged entries lost: highest acknowledged " + highestAck.get(t)
                            + ", log ends at " + recovered);
                }
            }
        }
        if (!violations.isEmpty()) {
            fail("after power loss (" + lanes + " file lanes):\n  " + String.join("\n  ", violations));
        }
    }
}
