package io.walrus.log;

import io.walrus.storage.BatchIo;
import io.walrus.storage.BufferPool;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The frames of one batch append, encoded into staging buffers and written as few, large writes:
 * frames that follow each other in the same block share one write (a batch of 256 entries of 1 KiB
 * is two writes, not 256), and up to {@link BatchIo#stagingBuffers()} buffers of them go to the
 * kernel in one {@link BatchIo#writeAll} call (one io_uring submission where it is available).
 * Nothing staged is visible to readers: the writer publishes only after {@link #writeOut()}.
 */
final class StagedWrites {
    private final BufferPool pool;
    private final BatchIo io;
    private ByteBuffer[] buffers = new ByteBuffer[2];
    private int bufferCount;
    /** Runs: bytes [from, from + length) of buffers[buffer] go to position of file. */
    private DataFile[] files = new DataFile[4];
    private ByteBuffer[] runBuffers = new ByteBuffer[4];
    private int[] from = new int[4];
    private int[] lengths = new int[4];
    private long[] positions = new long[4];
    private int runs;

    StagedWrites(BufferPool pool, BatchIo io) {
        this.pool = pool;
        this.io = io;
    }

    /** Frames of at most this many bytes are staged; larger ones the writer writes itself. */
    int largestFrame() {
        return pool.bufferSize();
    }

    /**
     * Room for a frame of {@code frameBytes} that goes to {@code position} of {@code file}: returns
     * the buffer's index where the caller encodes it, into {@link #buffer()}. Writes out what is
     * staged first when all the buffers the batch may hold are full.
     */
    int claim(DataFile file, long position, int frameBytes) throws IOException {
        ByteBuffer current = bufferCount == 0 ? null : buffers[bufferCount - 1];
        if (current == null || current.capacity() - current.position() < frameBytes) {
            if (bufferCount == io.stagingBuffers()) {
                writeOut();
            }
            current = pool.take();
            if (bufferCount == buffers.length) {
                buffers = Arrays.copyOf(buffers, bufferCount * 2);
            }
            buffers[bufferCount++] = current;
        }
        int at = current.position();
        int last = runs - 1;
        if (last >= 0 && files[last] == file && runBuffers[last] == current
                && positions[last] + lengths[last] == position) {
            lengths[last] += frameBytes;
        } else {
            addRun(file, current, at, frameBytes, position);
        }
        current.position(at + frameBytes);
        return at;
    }

    /** The buffer the last {@link #claim} returned an index into. */
    ByteBuffer buffer() {
        return buffers[bufferCount - 1];
    }

    private void addRun(DataFile file, ByteBuffer buffer, int at, int length, long position) {
        if (runs == files.length) {
            int grown = runs * 2;
            files = Arrays.copyOf(files, grown);
            runBuffers = Arrays.copyOf(runBuffers, grown);
            from = Arrays.copyOf(from, grown);
            lengths = Arrays.copyOf(lengths, grown);
            positions = Arrays.copyOf(positions, grown);
        }
        files[runs] = file;
        runBuffers[runs] = buffer;
        from[runs] = at;
        lengths[runs] = length;
        positions[runs] = position;
        runs++;
    }

    /** Writes every staged run and returns the buffers; nothing is staged afterwards, even on failure. */
    void writeOut() throws IOException {
        try {
            if (runs > 0) {
                io.writeAll(files, runBuffers, from, lengths, positions, runs);
            }
        } finally {
            release();
        }
    }

    /** Drops what is staged (after a failure) and returns the buffers to the pool. */
    void release() {
        for (int i = 0; i < bufferCount; i++) {
            pool.give(buffers[i]);
            buffers[i] = null;
        }
        bufferCount = 0;
        Arrays.fill(files, 0, runs, null);
        Arrays.fill(runBuffers, 0, runs, null);
        runs = 0;
    }
}
