package io.walrus.bench.iopaths;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.workload.ScratchDirectory;
import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;
import io.walrus.storage.uring.IoUringSupport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code ring-ops}: the two io_uring uses left to decide, as the bare operations the engine would
 * issue, so that a loss here rules them out for the engine too.
 *
 * <ul>
 *   <li>A synced batch append: the two writes a batch of 256 × 1 KiB entries is staged into (256 KiB
 *       and 6 KiB), then fdatasync. Three ways: pwrite, pwrite, fdatasync through FileChannel (what
 *       the engine does); the writes in one io_uring submission, then fdatasync; and the writes with
 *       the fdatasync linked behind them ({@code IOSQE_IO_LINK}), all in one submission.</li>
 *   <li>A batch read of 1 MiB: four 256 KiB windows (the engine's read window) as four preads, or as
 *       four reads in one submission; from the page cache, and from the disk (the range's pages
 *       dropped from the cache before each read).</li>
 * </ul>
 *
 * The ways alternate round by round, each round starting with a different one, so drift on a
 * shared machine falls on all alike.
 */
public final class RingOpsBenchmark implements Benchmark {
    static final int WINDOW_BYTES = 256 * 1024;
    /** 256 entries of 1 KiB, 24-byte headers: 268,288 bytes, a full staging buffer and the rest. */
    private static final int[] BATCH_WRITES = {WINDOW_BYTES, 256 * (24 + 1024) - WINDOW_BYTES};
    private static final int READ_WINDOWS = 4;
    private static final long FILE_BYTES = 256L << 20;
    private static final int SYNCED_ROUNDS = 200;
    private static final int CACHED_READ_ROUNDS = 2_000;
    private static final int DISK_READ_ROUNDS = 200;

    @Override
    public String name() {
        return "ring-ops";
    }

    @Override
    public String summary() {
        return "synced batch writes (linked fdatasync) and 1 MiB batch reads: io_uring vs FileChannel, bare operations";
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        out.println("ring-ops: bare operations on one " + (FILE_BYTES >> 20) + " MiB file in " + config.dataDir());
        if (!IoUringSupport.available()) {
            out.println("io_uring unavailable (" + IoUringSupport.unavailableReason().orElse("") + "): nothing to compare");
            return;
        }
        IoUringSupport.submitBatchWrites(true);
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), name());
             BatchIo ring = IoUringSupport.batchIoFor(IoUringSupport.URING_FILES)) {
            Path path = scratch.path().resolve("ops.wal");
            try (DataFile file = IoUringSupport.URING_FILES.create(path, FILE_BYTES)) {
                syncedBatches(file, ring, out);
                fill(file);
                try (PageCacheEviction eviction = PageCacheEviction.of(path)) {
                    batchReads(file, ring, null, CACHED_READ_ROUNDS, "from the page cache", out);
                    batchReads(file, ring, eviction, DISK_READ_ROUNDS, "from the disk", out);
                }
            }
        } finally {
            IoUringSupport.submitBatchWrites(Boolean.getBoolean(IoUringSupport.BATCH_WRITES_PROPERTY));
        }
    }

    private static void syncedBatches(DataFile file, BatchIo ring, PrintStream out) throws IOException {
        int count = BATCH_WRITES.length;
        DataFile[] files = new DataFile[count];
        ByteBuffer[] buffers = new ByteBuffer[count];
        int[] from = new int[count];
        int[] lengths = new int[count];
        long[] positions = new long[count];
        byte[] content = new byte[WINDOW_BYTES];
        new SplittableRandom(3).nextBytes(content);
        for (int i = 0; i < count; i++) {
            files[i] = file;
            buffers[i] = ByteBuffer.allocateDirect(WINDOW_BYTES).put(0, content);
            lengths[i] = BATCH_WRITES[i];
        }
        long batchBytes = BATCH_WRITES[0] + BATCH_WRITES[1];
        OperationTimes plain = new OperationTimes("pwrite x2, fdatasync", SYNCED_ROUNDS);
        OperationTimes ringThenSync = new OperationTimes("io_uring writes, then fdatasync", SYNCED_ROUNDS);
        OperationTimes linked = new OperationTimes("io_uring writes + linked fdatasync", SYNCED_ROUNDS);
        long at = 0;
        for (int round = 0; round < 3 * SYNCED_ROUNDS; round++) {
            if (at + batchBytes > FILE_BYTES) {
                at = 0;
            }
            positions[0] = at;
            positions[1] = at + BATCH_WRITES[0];
            at += batchBytes;
            int way = (round + round / 3) % 3; // each triple of rounds starts with another way
            long start = System.nanoTime();
            switch (way) {
                case 0 -> BatchIo.SEQUENTIAL.writeAllAndForce(files, buffers, from, lengths, positions, count);
                case 1 -> {
                    ring.writeAll(files, buffers, from, lengths, positions, count);
                    file.force();
                }
                default -> ring.writeAllAndForce(files, buffers, from, lengths, positions, count);
            }
            long took = System.nanoTime() - start;
            (way == 0 ? plain : way == 1 ? ringThenSync : linked).add(took);
        }
        out.printf(Locale.ROOT, "synced batch append of 256 x 1 KiB (%d + %d bytes, then fdatasync), %d rounds each:%n",
                BATCH_WRITES[0], BATCH_WRITES[1], SYNCED_ROUNDS);
        plain.print(out, plain);
        ringThenSync.print(out, plain);
        linked.print(out, plain);
    }

    /** Writes the whole file with random bytes and forces it, so every read finds data (and evicted pages stay evicted). */
    private static void fill(DataFile file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(WINDOW_BYTES);
        byte[] content = new byte[WINDOW_BYTES];
        SplittableRandom random = new SplittableRandom(4);
        for (long at = 0; at < FILE_BYTES; at += WINDOW_BYTES) {
            random.nextBytes(content);
            buffer.clear().put(0, content);
            file.write(buffer, at);
        }
        file.force();
    }

    private static void batchReads(DataFile file, BatchIo ring, PageCacheEviction eviction, int rounds, String where,
                                   PrintStream out) throws IOException {
        int count = READ_WINDOWS;
        long batchBytes = (long) count * WINDOW_BYTES;
        DataFile[] files = new DataFile[count];
        ByteBuffer[] buffers = new ByteBuffer[count];
        int[] from = new int[count];
        int[] lengths = new int[count];
        long[] positions = new long[count];
        int[] read = new int[count];
        for (int i = 0; i < count; i++) {
            files[i] = file;
            buffers[i] = ByteBuffer.allocateDirect(WINDOW_BYTES);
            lengths[i] = WINDOW_BYTES;
        }
        OperationTimes plain = new OperationTimes("pread x" + count, rounds);
        OperationTimes together = new OperationTimes("io_uring, " + count + " reads in one submission", rounds);
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 2 * rounds; round++) {
            long at = random.nextLong(FILE_BYTES / batchBytes) * batchBytes;
            for (int i = 0; i < count; i++) {
                positions[i] = at + (long) i * WINDOW_BYTES;
            }
            if (eviction != null) {
                eviction.evict(at, batchBytes);
            }
            boolean useRing = (round + round / 2) % 2 == 1; // each pair of rounds starts with another way
            long start = System.nanoTime();
            (useRing ? ring : BatchIo.SEQUENTIAL).readAll(files, buffers, from, lengths, positions, read, count);
            long took = System.nanoTime() - start;
            for (int i = 0; i < count; i++) {
                if (read[i] != WINDOW_BYTES) {
                    throw new IOException("read " + read[i] + " of " + WINDOW_BYTES + " bytes at " + positions[i]);
                }
            }
            (useRing ? together : plain).add(took);
        }
        out.printf(Locale.ROOT, "batch read of 1 MiB as %d x %d KiB %s, %d rounds each:%n", count, WINDOW_BYTES / 1024,
                where, rounds);
        plain.print(out, plain);
        together.print(out, plain);
    }
}
