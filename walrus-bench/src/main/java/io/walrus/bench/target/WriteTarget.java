package io.walrus.bench.target;

import java.io.IOException;
import java.util.List;

/**
 * Something a write benchmark appends to: Walrus, or a baseline that does the same I/O without it.
 * The workload, timing and reporting are shared, so two targets differ only in what they do here.
 */
public interface WriteTarget extends AutoCloseable {

    /** A short lower-case name for reports and file names: {@code walrus}, {@code filechannel}. */
    String name();

    /**
     * The appender writer {@code writerIndex} uses. Called once per writer before the clock starts,
     * so setup (opening files, naming topics) is not timed.
     */
    Appender appender(int writerIndex) throws IOException;

    /** Makes written data as durable as the fsync mode promises and releases everything. */
    @Override
    void close() throws IOException;

    /** One writer's stream. Used by a single thread; must not allocate per call where it can avoid it. */
    interface Appender {
        void append(byte[] payload) throws IOException;

        /** Appends all of {@code payloads} in one operation, as one batch append would. */
        void appendBatch(List<byte[]> payloads) throws IOException;
    }
}
