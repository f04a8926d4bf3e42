package io.walrus.client.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The primitive fields of the wire format, big-endian: strings and byte arrays as a 4-byte length
 * and their bytes. Reading checks every length against what is left, so a damaged or hostile message
 * fails with {@link MalformedMessageException} instead of allocating what it claims.
 */
final class WireBuffer {
    private WireBuffer() {
    }

    static int stringSize(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    static void putString(ByteBuffer out, String s) {
        putBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    static String getString(ByteBuffer in) {
        return new String(getBytes(in), StandardCharsets.UTF_8);
    }

    static byte[] getBytes(ByteBuffer in) {
        int length = getLength(in);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** A count or length that must fit in what is left of the message (at least one byte per item). */
    static int getLength(ByteBuffer in) {
        int length = getInt(in);
        if (length < 0 || length > in.remaining()) {
            throw new MalformedMessageException("length " + length + " with " + in.remaining() + " bytes left");
        }
        return length;
    }

    static int getInt(ByteBuffer in) {
        try {
            return in.getInt();
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("message ends inside a field");
        }
    }

    static long getLong(ByteBuffer in) {
        try {
            return in.getLong();
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("message ends inside a field");
        }
    }

    static byte getByte(ByteBuffer in) {
        try {
            return in.get();
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("message ends inside a field");
        }
    }

    static void checkConsumed(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new MalformedMessageException(in.remaining() + " bytes after the last field");
        }
    }
}
