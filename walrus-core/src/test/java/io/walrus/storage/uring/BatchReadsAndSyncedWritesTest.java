package io.walrus.storage.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BatchIo#readAll} and {@link BatchIo#writeAllAndForce} give the same bytes through the
 * io_uring ring as one by one through FileChannel (the ring's cases are skipped, with the reason,
 * where io_uring is unavailable).
 */
class BatchReadsAndSyncedWritesTest {
    private static final int FILE_BYTES = 1 << 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesToTwoFilesWithTheirForcesLinkedBehindLandInBoth(boolean ring) throws IOException {
        try (BatchIo io = batchIo(ring)) {
            DataFile a = files(ring).create(dir.resolve("a.wal"), FILE_BYTES);
            DataFile b = files(ring).create(dir.resolve("b.wal"), FILE_BYTES);
            try (a; b) {
                int count = 24; // two fsyncs behind: 26 linked operations in one submission
                ByteBuffer buffer = ByteBuffer.allocateDirect(count * 4096);
                byte[] expected = new byte[count * 4096];
                new SplittableRandom(1).nextBytes(expected);
                buffer.put(0, expected);
                DataFile[] targets = new DataFile[count];
                ByteBuffer[] buffers = new ByteBuffer[count];
                int[] from = new int[count];
                int[] lengths = new int[count];
                long[] positions = new long[count];
                for (int i = 0; i < count; i++) {
                    targets[i] = i % 2 == 0 ? a : b;
                    buffers[i] = buffer;
                    from[i] = i * 4096;
                    lengths[i] = 4096;
                    positions[i] = (long) (i / 2) * 4096;
                }
                io.writeAllAndForce(targets, buffers, from, lengths, positions, count);
                assertEquals(a, targets[0], "the caller's arrays are left as they were");
                assertEquals(b, targets[count - 1]);
            }
            byte[] first = Files.readAllBytes(dir.resolve("a.wal"));
            byte[] second = Files.readAllBytes(dir.resolve("b.wal"));
            byte[] expected = new byte[24 * 4096];
            new SplittableRandom(1).nextBytes(expected);
            for (int i = 0; i < 24; i++) {
                byte[] in = i % 2 == 0 ? first : second;
                int at = (i / 2) * 4096;
                assertArrayEquals(Arrays.copyOfRange(expected, i * 4096, (i + 1) * 4096),
                        Arrays.copyOfRange(in, at, at + 4096), "write " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsMoreRangesThanTheRingHoldsAndTheLastComesBackShortAtTheEnd(boolean ring) throws IOException {
        byte[] content = new byte[FILE_BYTES];
        new SplittableRandom(2).nextBytes(content);
        Path path = dir.resolve("r.wal");
        Files.write(path, content);
        try (BatchIo io = batchIo(ring); DataFile file = files(ring).open(path)) {
            int count = IoUringSupport.RING_ENTRIES + 6; // two rounds through the ring
            int length = 10_000;
            ByteBuffer buffer = ByteBuffer.allocateDirect(count * length);
            DataFile[] sources = new DataFile[count];
            ByteBuffer[] buffers = new ByteBuffer[count];
            int[] from = new int[count];
            int[] lengths = new int[count];
            long[] positions = new long[count];
            int[] read = new int[count];
            for (int i = 0; i < count; i++) {
                sources[i] = file;
                buffers[i] = buffer;
                from[i] = i * length;
                lengths[i] = length;
                positions[i] = (long) (count - 1 - i) * 7_919; // out of order, overlapping
            }
            positions[count - 1] = FILE_BYTES - 1_000; // only 1,000 bytes left there
            io.readAll(sources, buffers, from, lengths, positions, read, count);
            for (int i = 0; i < count; i++) {
                int expectedLength = (int) Math.min(length, FILE_BYTES - positions[i]);
                assertEquals(expectedLength, read[i], "read " + i);
                byte[] got = new byte[expectedLength];
                buffer.get(from[i], got);
                int at = (int) positions[i];
                assertArrayEquals(Arrays.copyOfRange(content, at, at + expectedLength), got, "read " + i);
            }
        }
    }

    private static BatchIo batchIo(boolean ring) {
        if (!ring) {
            return BatchIo.SEQUENTIAL;
        }
        assumeTrue(IoUringSupport.available(), () -> "io_uring unavailable: " + IoUringSupport.unavailableReason().orElse(""));
        return new UringBatchIo(new RingPool(IoUringSupport.RING_ENTRIES), false);
    }

    private static DataFiles files(boolean ring) {
        return ring ? IoUringSupport.URING_FILES : DataFiles.CHANNEL;
    }
}
