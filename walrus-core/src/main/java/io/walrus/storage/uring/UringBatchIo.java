package io.walrus.storage.uring;

import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Batches through io_uring: every fsync of a flush (and, when asked, every write of a batch) in one
 * submission, one {@code io_uring_enter} to submit them and wait for all. A file that is not an
 * {@link UringDataFile} (a test's wrapper) is handled the plain way. A lone fsync is not worth a
 * ring: it goes straight to {@link DataFile#force()}.
 *
 * <p>Batch writes go through the ring only when {@code ringWrites} is set: a batch append is already
 * coalesced into one or two large writes, and on ext4 those measured slower through io_uring than
 * as plain pwrites (see {@link IoUringSupport}).
 */
final class UringBatchIo implements BatchIo {
    /** Staging buffers one batch may fill before submitting: 16 × 256 KiB = 4 MiB in flight. */
    private static final int STAGING_BUFFERS = 16;

    private final RingPool rings;
    private final boolean ringWrites;

    UringBatchIo(RingPool rings, boolean ringWrites) {
        this.rings = rings;
        this.ringWrites = ringWrites;
    }

    @Override
    public void writeAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions,
                         int count) throws IOException {
        if (!ringWrites || (count == 1 && !(files[0] instanceof UringDataFile))) {
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

    /**
     * The writes and then one fdatasync per file written, each operation linked to the next, in one
     * submission: the kernel starts a force only once every write before it has completed. A write
     * that comes up short cancels the rest of the chain, which {@link IoUring#run()} resubmits,
     * linked again, after the write's remainder. Through the ring whatever {@code ringWrites} says:
     * the link is the point. Falls back to the plain way when any file is not the ring's or the
     * batch does not fit one submission.
     */
    @Override
    public void writeAllAndForce(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths,
                                 long[] positions, int count) throws IOException {
        IoUring ring = rings.take();
        try {
            if (!allRingFiles(files, count) || !ring.hasRoom(2 * count)) {
                BatchIo.super.writeAllAndForce(files, buffers, from, lengths, positions, count);
                return;
            }
            for (int i = 0; i < count; i++) {
                UringDataFile file = (UringDataFile) files[i];
                ring.addWrite(file.fd(), addressOf(buffers[i]) + from[i], lengths[i], positions[i], file, true);
            }
            for (int i = 0; i < count; i++) {
                if (BatchIo.firstOccurrence(files, i)) {
                    UringDataFile file = (UringDataFile) files[i];
                    ring.addFdatasync(file.fd(), file, true);
                }
            }
            runAndClear(ring);
        } finally {
            rings.give(ring);
        }
    }

    /** Every read in one submission; the kernel may serve them in parallel (from the disk, when not cached). */
    @Override
    public void readAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions,
                        int[] read, int count) throws IOException {
        if (count == 1 || !allRingFiles(files, count)) {
            BatchIo.SEQUENTIAL.readAll(files, buffers, from, lengths, positions, read, count);
            return;
        }
        IoUring ring = rings.take();
        try {
            for (int first = 0; first < count; ) {
                int end = Math.min(count, first + ring.capacity());
                for (int i = first; i < end; i++) {
                    UringDataFile file = (UringDataFile) files[i];
                    ring.addRead(file.fd(), addressOf(buffers[i]) + from[i], lengths[i], positions[i], file);
                }
                try {
                    ring.run();
                    for (int i = first; i < end; i++) {
                        read[i] = ring.result(i - first);
                    }
                } finally {
                    ring.clear();
                }
                first = end;
            }
        } finally {
            rings.give(ring);
        }
    }

    private static boolean allRingFiles(DataFile[] files, int count) {
        for (int i = 0; i < count; i++) {
            if (!(files[i] instanceof UringDataFile)) {
                return false;
            }
        }
        return true;
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
        return ringWrites ? STAGING_BUFFERS : 1;
    }

    @Override
    public String name() {
        return ringWrites ? "io_uring" : "io_uring flushes";
    }

    @Override
    public void close() {
        rings.close();
    }
}
