package io.walrus.format;

import static io.walrus.format.FormatDescriptor.*;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Writes and verifies entry frames (see {@link FormatDescriptor}). One instance per thread of use:
 * it keeps a {@link CRC32C} so the hot path allocates nothing.
 */
public final class EntryCodec {
    private final CRC32C crc = new CRC32C();

    /**
     * Writes the header of an entry at {@code offset} of {@code buffer}. The checksum covers the header
     * fields and {@code payload} (which the caller writes itself, wherever it likes).
     */
    public void encodeHeader(ByteBuffer buffer, int offset, byte[] payload, int batchRemaining, long sequence,
                             long blockNonce) {
        buffer.putInt(offset + ENTRY_LENGTH_OFFSET, payload.length);
        buffer.putInt(offset + ENTRY_BATCH_REMAINING_OFFSET, batchRemaining);
        buffer.putLong(offset + ENTRY_SEQUENCE_OFFSET, sequence);
        buffer.putInt(offset + ENTRY_MARKER_OFFSET, ENTRY_MARKER);
        crc.reset();
        update(buffer, offset, ENTRY_CRC_OFFSET);
        crc.update(payload, 0, payload.length);
        buffer.putInt(offset + ENTRY_CRC_OFFSET, (int) crc.getValue() ^ mix(blockNonce));
    }

    /** Writes a seal record (see {@link FormatDescriptor}) at {@code offset} of {@code buffer}. */
    public void encodeSeal(ByteBuffer buffer, int offset, long sequence, long blockNonce) {
        buffer.putInt(offset + ENTRY_LENGTH_OFFSET, 0);
        buffer.putInt(offset + ENTRY_BATCH_REMAINING_OFFSET, 0);
        buffer.putLong(offset + ENTRY_SEQUENCE_OFFSET, sequence);
        buffer.putInt(offset + ENTRY_MARKER_OFFSET, SEAL_MARKER);
        crc.reset();
        update(buffer, offset, ENTRY_CRC_OFFSET);
        buffer.putInt(offset + ENTRY_CRC_OFFSET, (int) crc.getValue() ^ mix(blockNonce));
    }

    /** Whether a valid seal record for {@code sequence} is at {@code offset} of {@code buffer}. */
    public boolean isSeal(ByteBuffer buffer, int offset, long sequence, long blockNonce) {
        if (buffer.getInt(offset + ENTRY_MARKER_OFFSET) != SEAL_MARKER
                || buffer.getInt(offset + ENTRY_LENGTH_OFFSET) != 0
                || buffer.getLong(offset + ENTRY_SEQUENCE_OFFSET) != sequence) {
            return false;
        }
        crc.reset();
        update(buffer, offset, ENTRY_CRC_OFFSET);
        return ((int) crc.getValue() ^ mix(blockNonce)) == buffer.getInt(offset + ENTRY_CRC_OFFSET);
    }

    /**
     * Whether the header at {@code offset} of {@code buffer} looks like an entry that fits in
     * {@code room} bytes; its checksum is checked by {@link #verify}.
     */
    public static boolean plausibleHeader(ByteBuffer buffer, int offset, long room) {
        if (room < ENTRY_HEADER_SIZE || buffer.getInt(offset + ENTRY_MARKER_OFFSET) != ENTRY_MARKER) {
            return false;
        }
        int length = buffer.getInt(offset + ENTRY_LENGTH_OFFSET);
        int remaining = buffer.getInt(offset + ENTRY_BATCH_REMAINING_OFFSET);
        return length >= 0 && remaining >= 0 && entryFrameLength(length) <= room;
    }

    public static int payloadLength(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + ENTRY_LENGTH_OFFSET);
    }

    public static int batchRemaining(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + ENTRY_BATCH_REMAINING_OFFSET);
    }

    public static long sequence(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + ENTRY_SEQUENCE_OFFSET);
    }

    /**
     * Whether the header at {@code headerOffset} and the payload at {@code payloadOffset} (both of
     * {@code buffer}) verify against the stored checksum.
     */
    public boolean verify(ByteBuffer buffer, int headerOffset, int payloadOffset, long blockNonce) {
        int length = payloadLength(buffer, headerOffset);
        crc.reset();
        update(buffer, headerOffset, ENTRY_CRC_OFFSET);
        update(buffer, payloadOffset, length);
        return ((int) crc.getValue() ^ mix(blockNonce)) == buffer.getInt(headerOffset + ENTRY_CRC_OFFSET);
    }

    /** As {@link #verify(ByteBuffer, int, int, long)}, with the payload already in an array. */
    public boolean verify(ByteBuffer header, int headerOffset, byte[] payload, long blockNonce) {
        crc.reset();
        update(header, headerOffset, ENTRY_CRC_OFFSET);
        crc.update(payload, 0, payload.length);
        return ((int) crc.getValue() ^ mix(blockNonce)) == header.getInt(headerOffset + ENTRY_CRC_OFFSET);
    }

    /**
     * Checksums {@code length} bytes at {@code offset} through the buffer's own position and limit
     * (restored after), because a slice would allocate on every entry.
     */
    private void update(ByteBuffer buffer, int offset, int length) {
        int position = buffer.position();
        int limit = buffer.limit();
        buffer.limit(offset + length).position(offset);
        crc.update(buffer);
        buffer.limit(limit).position(position);
    }

    private static int mix(long nonce) {
        return (int) (nonce ^ (nonce >>> 32));
    }
}
