package io.walrus.server;

import org.apache.ratis.server.protocol.TermIndex;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The 16 bytes a node's Walrus entry starts with: the term and the index of the Raft log entry whose
 * payload it is, then the payload as the client appended it.
 *
 * <pre>
 *   long    term   (big-endian)
 *   long    index  (big-endian)
 *   byte[]  payload
 * </pre>
 *
 * A node writes an append's payloads to Walrus when its Raft log takes the entry, before the entry
 * commits (Ratis's state-machine data API), so its Walrus topic may also hold payloads of entries a
 * new leader later truncated, or two copies of one entry. The tag tells them apart: in Raft, two log
 * entries with the same term and index are the same entry, so a copy tagged with a committed entry's
 * term and index holds that entry's payload, and any other copy is dead.
 */
final class PayloadTag {
    static final int BYTES = 16;

    private PayloadTag() {
    }

    /** {@code payload} with its entry's tag in front: a new array. */
    static byte[] tagged(long term, long index, byte[] payload) {
        byte[] stored = new byte[BYTES + payload.length];
        ByteBuffer.wrap(stored).putLong(term).putLong(index);
        System.arraycopy(payload, 0, stored, BYTES, payload.length);
        return stored;
    }

    /** Whether {@code stored} was written for the log entry at {@code entry}. */
    static boolean isFrom(byte[] stored, TermIndex entry) {
        return stored.length >= BYTES && term(stored) == entry.getTerm() && index(stored) == entry.getIndex();
    }

    static long term(byte[] stored) {
        checkLength(stored);
        return ByteBuffer.wrap(stored).getLong(0);
    }

    static long index(byte[] stored) {
        checkLength(stored);
        return ByteBuffer.wrap(stored).getLong(Long.BYTES);
    }

    /** The payload without its tag: a new array. */
    static byte[] payload(byte[] stored) {
        checkLength(stored);
        return Arrays.copyOfRange(stored, BYTES, stored.length);
    }

    /** How {@code stored} reads in an error message. */
    static String describe(byte[] stored) {
        return stored.length < BYTES ? "an untagged entry of " + stored.length + " bytes"
                : "the payload of entry (t:" + term(stored) + ", i:" + index(stored) + ")";
    }

    private static void checkLength(byte[] stored) {
        if (stored.length < BYTES) {
            throw new IllegalStateException("a Walrus entry of " + stored.length + " bytes has no " + BYTES
                    + "-byte Raft tag: the instance was not written by this walrus-server");
        }
    }
}
