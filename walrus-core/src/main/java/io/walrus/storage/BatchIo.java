package io.walrus.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Several writes, or several fsyncs, issued as one operation: the seam where io_uring submits them
 * all at once ({@code io.walrus.storage.uring}) and everything else issues them one by one
 * ({@link #SEQUENTIAL}). Either way a call returns only when every operation completed in full, or
 * throws naming the first that failed.
 */
public interface BatchIo extends AutoCloseable {

    /**
     * Writes, for each {@code i < count}, {@code lengths[i]} bytes of {@code buffers[i]} from index
     * {@code from[i]} to {@code positions[i]} of {@code files[i]}. Buffers are direct; their
     * position and limit may be changed.
     */
    void writeAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions, int count)
            throws IOException;

    /** Forces {@code files[0..count)} to stable storage (fdatasync each). */
    void forceAll(DataFile[] files, int count) throws IOException;

    /** How many staging buffers a batch may fill before it must be written: more lets one call carry more. */
    int stagingBuffers();

    /** A short name for logs and benchmarks: {@code filechannel}, {@code io_uring}. */
    String name();

    /** Releases what the batches used (rings); the files stay open. */
    @Override
    void close();

    /** One write or fsync after another, through each {@link DataFile}. */
    BatchIo SEQUENTIAL = new BatchIo() {
        @Override
        public void writeAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions,
                             int count) throws IOException {
            for (int i = 0; i < count; i++) {
                ByteBuffer buffer = buffers[i];
                buffer.limit(from[i] + lengths[i]).position(from[i]);
                files[i].write(buffer, positions[i]);
            }
        }

        @Override
        public void forceAll(DataFile[] files, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                files[i].force();
            }
        }

        @Override
        public int stagingBuffers() {
            return 1;
        }

        @Override
        public String name() {
            return "filechannel";
        }

        @Override
        public void close() {
        }
    };
}
