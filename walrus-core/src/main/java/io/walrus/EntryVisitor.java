package io.walrus;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the entries of a zero-copy batch read ({@link Walrus#visitBatchForTopic(String, long, boolean,
 * EntryVisitor)}, {@link Consumer#visitBatchForTopic(String, long, boolean, EntryVisitor)}) one at a
 * time, in commit order, each one's checksum verified before it is visited.
 *
 * <pre>{@code
 * byte[] scratch = new byte[Walrus.MAX_ENTRY_BYTES];
 * int read = wal.visitBatchForTopic("events", 64 << 10, true, (sequence, payload) -> {
 *     int length = payload.remaining();
 *     payload.get(scratch, 0, length);          // copy out what must outlive the visit
 *     index(sequence, scratch, length);
 * });
 * }</pre>
 *
 * <p><b>The payload is a view, valid only during the call.</b> It is a read-only buffer whose bytes
 * from its position to its limit are the entry's payload, read in place from the read's staging
 * buffer (FD backend) or from the file's mapping (MMAP backend); what lies before its position is
 * unspecified. The same buffer object is re-sliced for every entry, so neither it nor a slice or
 * duplicate of it may be kept: copy out what must outlive the visit. The visitor may move the
 * buffer's position and limit as it likes.
 *
 * <p>A visit runs on the reading thread while the read holds its topic's cursor: it must not read the
 * same topic through the same consumer (that throws IllegalStateException), and it should be short.
 * If it throws, the batch ends there and the exception comes out of the read: the cursor moves past
 * the entries whose visits returned, not past the one that threw, which the next read hands out again.
 */
@FunctionalInterface
public interface EntryVisitor {

    /**
     * One entry: {@code sequence} is its number in the topic (0, 1, 2, ... in commit order, as
     * {@link Walrus#readFrom} counts them), {@code payload} its bytes between position and limit.
     */
    void visit(long sequence, ByteBuffer payload) throws IOException;
}
