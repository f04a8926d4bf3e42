package io.walrus.bench.readab;

import io.walrus.Consumer;
import io.walrus.EntryVisitor;
import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.StartPosition;
import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One build's side of {@link InterleavedVisits}: loaded once per build, each time by a class loader of
 * its own that finds {@code io.walrus} in that build's jar, so it uses only API every build since
 * {@code visitBatchForTopic} has (and static state, one instance per loader). Called by reflection.
 */
public final class VisitPass {
    private static final long BATCH_BYTES = 64 << 10;
    private static final String TOPIC = "t";
    private static Walrus walrus;
    private static int passes;
    private static int work;
    private static long sink;
    private static final byte[] payload = new byte[64 << 10];
    private static final EntryVisitor VISITOR = VisitPass::visit;

    private VisitPass() {
    }

    /**
     * Opens Walrus on {@code directory} under {@code atLeastOnce(persistEvery)}, writing {@code entries}
     * entries of 500 to 1,029 bytes (the same for every build: one seed) if it is new; {@code work}
     * multiply-adds per entry stand for a consumer's own work on it.
     */
    public static void open(String directory, String backend, int entries, int persistEvery, int workPerEntry)
            throws IOException {
        Path dir = Path.of(directory);
        boolean fresh = !Files.exists(dir);
        work = workPerEntry;
        walrus = Walrus.builder().dataDir(dir).consistency(ReadConsistency.atLeastOnce(persistEvery))
                .fsync(FsyncSchedule.milliseconds(1000)).backend(StorageBackend.valueOf(backend)).open();
        if (fresh) {
            SplittableRandom random = new SplittableRandom(20261202);
            byte[] bytes = new byte[1030];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt();
            }
            for (int i = 0; i < entries; i++) {
                walrus.appendForTopic(TOPIC, Arrays.copyOf(bytes, 500 + random.nextInt(530)));
            }
        }
        walrus.consumer("keeper", StartPosition.EARLIEST); // keeps every file: no pass reads a shorter log
    }

    /** Visits the whole topic through a new consumer, checkpointing; returns the nanoseconds per entry. */
    public static double pass(int expectedEntries) throws IOException {
        String name = "pass-" + passes++;
        Consumer consumer = walrus.consumer(name, StartPosition.EARLIEST);
        long count = 0;
        long started = System.nanoTime();
        for (int got; (got = consumer.visitBatchForTopic(TOPIC, BATCH_BYTES, true, VISITOR)) > 0; ) {
            count += got;
        }
        long took = System.nanoTime() - started;
        walrus.removeConsumer(name);
        if (count != expectedEntries) {
            throw new IllegalStateException("a pass read " + count + " entries, not " + expectedEntries);
        }
        return took / (double) count;
    }

    public static void close() throws IOException {
        walrus.close();
    }

    /** What the checksum of the result is: keeps the JIT from dropping the visitor's work. */
    public static long sink() {
        return sink;
    }

    private static void visit(long sequence, ByteBuffer entry) {
        int length = entry.remaining();
        entry.get(payload, 0, length);
        long hash = length;
        for (int k = 0; k < work; k++) {
            hash = hash * 31 + payload[k & 1023];
        }
        sink += hash;
    }
}
