package io.walrus.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One preallocated data file, read and written at explicit positions. Implementations are safe for
 * concurrent use by many threads on disjoint ranges.
 */
public interface DataFile extends AutoCloseable {

    Path path();

    /** Writes all of {@code source}'s remaining bytes at {@code position}. */
    void write(ByteBuffer source, long position) throws IOException;

    /**
     * Writes {@code head}'s remaining bytes at {@code position} and {@code payload} right after them,
     * straight into the file's memory, where the file has some (a mapping): one copy of each and no
     * staging buffer. Returns false, having written nothing, where it cannot (the FD backend, or a
     * range the mapping does not hold); the caller then stages both into one buffer for
     * {@link #write(ByteBuffer, long)}.
     */
    default boolean writeInPlace(ByteBuffer head, byte[] payload, long position) throws IOException {
        return false;
    }

    /**
     * Reads into {@code target} from {@code position} until it is full or the file ends.
     *
     * @return the bytes read
     */
    int read(ByteBuffer target, long position) throws IOException;

    /**
     * A read-only view of {@code length} bytes at {@code position} straight over the file's memory,
     * where the file has some (a mapping), for reads that hand entries out in place; null where it
     * has none (the FD backend) or the range is not all in it. Made once per block read, not per
     * entry. Reading it after the file closed throws IllegalStateException, never faults.
     */
    default ByteBuffer mappedView(long position, int length) {
        return null;
    }

    /**
     * As {@link #mappedView}, over the same memory, but tied to no session: reading it costs no check
     * that the file is still open and, above all, no atomic acquire and release of the mapping's
     * session per checksum (which two readers of one file would fight over). Reading it after the file
     * closed is reading unmapped memory, which crashes the JVM; so it is for the engine's own reads
     * while it holds a pin on the file, and never handed out.
     */
    default ByteBuffer pinnedView(long position, int length) {
        return null;
    }

    /** Forces written data to stable storage (fdatasync: data, and metadata only where needed to read it). */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
