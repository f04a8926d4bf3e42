package io.walrus.storage.uring;

import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Batches through io_uring: every write of a batch (or every fsync of a flush) in one submission,
 * one {@code io_uring_enter} to submit them and wait for all. A file that is not an
 * {@link UringDataFile} (a test's wrapper) is written the plain way. A lone fsync is not worth a
 * ring: it goes straight to {@link DataFile#force()}.
 */
final class UringBatchIo implements BatchIo {
    /** Staging buffers one batch may fill before submitting: 16 × 256 KiB = 4 MiB in flight. */
    private static final int STAGING_BUFFERS = 16;

    private final RingPool rings;

    UringBatchIo(RingPool rings) {
        this.rings = rings;
    }

    @Override
    public void writeAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions,
                         int count) throws IOException {
        if (count == 1 && !(files[0] instanceof UringDataFile)) {
            BatchIo.SEQUENTIAL.writeAll(files, buffers, from, lengths, positions, count);
            return;
        }
        IoUring ring = rings.take();
        try {
            for (int i = 0; i < count; i++) {
                if (files[i] instanceof UringDataFile file) {
                    if (!ring.hasRoom(1)) {
                        runAndClear(ring);
                    }
                    long address = addressOf(buffers[i]) + from[i];
                    ring.addWrite(file.fd(), address, lengths[i], positions[i], file, false);
                } else {
                    ByteBuffer buffer = buffers[i];
                    buffer.limit(from[i] + lengths[i]).position(from[i]);
                    files[i].write(buffer, positions[i]);
                }
            }
            runAndClear(ring);
        } finally {
            rings.give(ring);
        }
    }

    @Override
    public void forceAll(DataFile[] files, int count) throws IOException {
        if (count == 1) {
            files[0].force();
            return;
        }
        IoUring ring = rings.take();
        try {
            for (int i = 0; i < count; i++) {
                if (files[i] instanceof UringDataFile file) {
                    if (!ring.hasRoom(1)) {
                        runAndClear(ring);
                    }
                    ring.addFdatasync(file.fd(), file, false);
                } else {
                    files[i].force();
                }
            }
            runAndClear(ring);
        } finally {
            rings.give(ring);
        }
    }

    /** The native address of a direct buffer's index 0 (a buffer's segment starts at its position). */
    private static long addressOf(ByteBuffer buffer) {
        return MemorySegment.ofBuffer(buffer).address() - buffer.position();
    }

    private static void runAndClear(IoUring ring) throws IOException {
        try {
            ring.run();
        } finally {
            ring.clear();
        }
    }

    @Override
    public int stagingBuffers() {
        return STAGING_BUFFERS;
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public void close() {
        rings.close();
    }
}
