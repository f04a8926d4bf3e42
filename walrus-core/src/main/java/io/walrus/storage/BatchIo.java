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

    /**
     * {@link #writeAll} followed by a force of every file written, as one operation: through
     * io_uring the fdatasyncs are linked behind the writes ({@code IOSQE_IO_LINK}) in the same
     * submission, so the whole of a synced batch costs one {@code io_uring_enter}.
     */
    default void writeAllAndForce(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths,
                                  long[] positions, int count) throws IOException {
        writeAll(files, buffers, from, lengths, positions, count);
        for (int i = 0; i < count; i++) {
            if (firstOccurrence(files, i)) {
                files[i].force();
            }
        }
    }

    /**
     * Reads, for each {@code i < count}, up to {@code lengths[i]} bytes at {@code positions[i]} of
     * {@code files[i]} into {@code buffers[i]} from index {@code from[i]}, and stores in
     * {@code read[i]} how many it read: fewer only where the file ends. Buffers are direct; their
     * position and limit may be changed.
     */
    void readAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions, int[] read,
                 int count) throws IOException;

    /** Whether {@code files[i]} is not among {@code files[0..i)}: a force after a batch covers each file once. */
    static boolean firstOccurrence(DataFile[] files, int i) {
        for (int j = 0; j < i; j++) {
            if (files[j] == files[i]) {
                return false;
            }
        }
        return true;
    }

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
        public void readAll(DataFile[] files, ByteBuffer[] buffers, int[] from, int[] lengths, long[] positions,
                            int[] read, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                ByteBuffer buffer = buffers[i];
                buffer.limit(from[i] + lengths[i]).position(from[i]);
                read[i] = files[i].read(buffer, positions[i]);
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
