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
import java.util.SplittableRandom;

/**
 * {@code flush-io}: the flush of several dirty data files at once (what the background flusher
 * does with one file per lane), one fdatasync after another through FileChannel against all of
 * them in one io_uring submission. Each round dirties every file the same way (THREADS files,
 * 64 writes of 4 KiB each at random places), then times one flush; the two ways alternate.
 */
public final class FlushIoBenchmark implements Benchmark {
    private static final int ROUNDS = 200;
    private static final long FILE_BYTES = 64L << 20;
    private static final int WRITES_PER_FILE = 64;

    @Override
    public String name() {
        return "flush-io";
    }

    @Override
    public String summary() {
        return "flushing THREADS dirty files: fdatasync one by one vs all in one io_uring submission";
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        int fileCount = Math.max(2, config.threads());
        out.println("flush-io: " + fileCount + " files, " + ROUNDS + " rounds, " + WRITES_PER_FILE
                + " writes of 4 KiB per file per round");
        if (!IoUringSupport.available()) {
            out.println("io_uring unavailable (" + IoUringSupport.unavailableReason().orElse("") + "): nothing to compare");
            return;
        }
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), name());
             BatchIo uring = IoUringSupport.batchIoFor(IoUringSupport.URING_FILES)) {
            DataFile[] files = new DataFile[fileCount];
            try {
                for (int i = 0; i < fileCount; i++) {
                    files[i] = IoUringSupport.URING_FILES.create(scratch.path().resolve("f" + i), FILE_BYTES);
                }
                ByteBuffer page = ByteBuffer.allocateDirect(4096);
                SplittableRandom random = new SplittableRandom(7);
                OperationTimes sequential = new OperationTimes("fdatasync one by one", ROUNDS);
                OperationTimes together = new OperationTimes("io_uring, all at once", ROUNDS);
                for (int round = 0; round < 2 * ROUNDS; round++) {
                    for (DataFile file : files) {
                        for (int w = 0; w < WRITES_PER_FILE; w++) {
                            page.clear();
                            file.write(page, random.nextLong(FILE_BYTES / 4096) * 4096);
                        }
                    }
                    boolean useRing = round % 2 == 1;
                    long start = System.nanoTime();
                    (useRing ? uring : BatchIo.SEQUENTIAL).forceAll(files, fileCount);
                    long took = System.nanoTime() - start;
                    (useRing ? together : sequential).add(took);
                }
                out.println("one flush of every file (last column: median over one by one's):");
                sequential.print(out, sequential);
                together.print(out, sequential);
            } finally {
                for (DataFile file : files) {
                    if (file != null) {
                        file.close();
                    }
                }
            }
        }
    }
}
