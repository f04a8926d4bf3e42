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
     * Reads into {@code target} from {@code position} until it is full or the file ends.
     *
     * @return the bytes read
     */
    int read(ByteBuffer target, long position) throws IOException;

    /** Forces written data to stable storage (fdatasync: data, and metadata only where needed to read it). */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
