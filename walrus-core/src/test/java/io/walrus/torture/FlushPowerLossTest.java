package io.walrus.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.log.LogConfig;
import io.walrus.log.WriteAheadLog;
import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Walrus.flush()} under {@code noFsync()}, against a simulated power loss
 * ({@link PowerLossDataFiles}): what was appended before the flush survives whole, whatever the loss
 * does to the writes after it; without the flush, a loss that keeps no unforced write takes every
 * entry, so it is the flush that made them durable.
 */
class FlushPowerLossTest {
    private static final int BLOCK = 64 << 10;
    private static final int FLUSHED = 600; // several blocks and files: 4 blocks a file
    private static final int AFTER = 200;

    @TempDir
    Path scratch;

    @Test
    void entriesAppendedUnderNoFsyncSurvivePowerLossOnceFlushed() throws Exception {
        long seed = TortureSettings.seed();
        for (int i = 0; i < 10; i++) {
            Random random = new Random(seed + i);
            Path dir = Files.createDirectory(scratch.resolve("loss-" + i));
            PowerLossDataFiles files = new PowerLossDataFiles();
            WriteAheadLog log = open(dir, files);
            long next = append(log, "a", 0, FLUSHED, random);
            append(log, "b", 0, 50, random);
            log.flush();
            append(log, "a", next, next + AFTER, random);
            files.losePower(random);
            closeWithoutPower(log);

            TopicAudit a = audit(dir, "a");
            TopicAudit b = audit(dir, "b");
            String replay = " (seed " + (seed + i) + ")";
            assertEquals(List.of(), a.violations(), "what survives is whole and in order" + replay);
            assertEquals(List.of(), b.violations(), replay);
            assertTrue(a.nextIndex() >= next, "every entry appended before the flush survives: the log ends at "
                    + a.nextIndex() + ", " + next + " were flushed" + replay);
            assertEquals(50, b.nextIndex(), "in every topic" + replay);
        }
    }

    @Test
    void withoutAFlushNoFsyncPromisesNothing() throws Exception {
        PowerLossDataFiles files = new PowerLossDataFiles();
        WriteAheadLog log = open(scratch, files);
        append(log, "a", 0, FLUSHED, new Random(1));
        files.losePower(new KeepNothing());
        closeWithoutPower(log);
        assertEquals(0, audit(scratch, "a").nextIndex(), "no unforced write survived, and nothing was forced");
    }

    private static WriteAheadLog open(Path dir, DataFiles files) throws IOException {
        return WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.onCloseOnly(), false, BLOCK, 4, 1, files));
    }

    /** Entries {@code from} to {@code to} of {@code topic}, single appends and batches mixed; returns {@code to}. */
    private static long append(WriteAheadLog log, String topic, long from, long to, Random random) throws IOException {
        for (long i = from; i < to; ) {
            int size = (int) Math.min(to - i, random.nextInt(3) == 0 ? 2 + random.nextInt(30) : 1);
            byte[][] batch = new byte[size][];
            for (int j = 0; j < size; j++) {
                batch[j] = new TortureEntry(topic, i + j, i, size).encode();
            }
            if (size == 1) {
                log.append(topic, batch[0]);
            } else {
                log.batchAppend(topic, batch);
            }
            i += size;
        }
        return to;
    }

    private static void closeWithoutPower(WriteAheadLog log) {
        try {
            log.close();
        } catch (IOException expected) {
            // the final flush fails: the power is off
        }
    }

    /** The topic as a reopened instance on the real files reads it, checked entry by entry. */
    private static TopicAudit audit(Path dir, String topic) throws IOException {
        TopicAudit audit = new TopicAudit(topic, 0);
        try (WriteAheadLog reopened = open(dir, DataFiles.CHANNEL)) {
            List<byte[]> batch;
            while (!(batch = reopened.batchRead(topic, 1 << 20, 2000, true)).isEmpty()) {
                batch.forEach(audit::accept);
            }
        }
        audit.end();
        return audit;
    }

    /** A power loss that keeps none of the unforced writes. */
    private static final class KeepNothing extends Random {
        @Override
        public int nextInt(int bound) {
            return 0;
        }
    }
}
