package io.walrus.format;

import static io.walrus.format.FormatDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32C;

/** The header at the start of a block owned by a topic; see {@link FormatDescriptor}. */
public record BlockHeader(String topic, long nonce, long blockSeq, long baseSequence) {

    public int length() {
        return blockHeaderLength(topic.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Writes the header into {@code buffer} from position 0; leaves position 0 and limit at its length. */
    public void encode(ByteBuffer buffer) {
        order(buffer);
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        int length = blockHeaderLength(name.length);
        buffer.clear();
        for (int i = 0; i < length; i += 8) {
            buffer.putLong(i, 0L);
        }
        buffer.putInt(BLOCK_MARKER_OFFSET, BLOCK_MARKER);
        buffer.putInt(BLOCK_HEADER_LENGTH_OFFSET, length);
        buffer.putLong(BLOCK_NONCE_OFFSET, nonce);
        buffer.putLong(BLOCK_SEQ_OFFSET, blockSeq);
        buffer.putLong(BLOCK_BASE_SEQUENCE_OFFSET, baseSequence);
        buffer.putInt(BLOCK_NAME_LENGTH_OFFSET, name.length);
        buffer.put(BLOCK_NAME_OFFSET, name);
        buffer.putInt(BLOCK_CRC_OFFSET, crc(buffer, name.length));
        buffer.position(0).limit(length);
    }

    /**
     * Reads a block header from {@code buffer} (absolute offsets from 0), or empty when the bytes are
     * not a valid header: an unused block, or one whose header was torn by a crash.
     */
    public static Optional<BlockHeader> decode(ByteBuffer buffer) {
        order(buffer);
        if (buffer.limit() < BLOCK_NAME_OFFSET || buffer.getInt(BLOCK_MARKER_OFFSET) != BLOCK_MARKER) {
            return Optional.empty();
        }
        int nameLength = buffer.getInt(BLOCK_NAME_LENGTH_OFFSET);
        if (nameLength <= 0 || nameLength > MAX_TOPIC_NAME_BYTES
                || buffer.limit() < BLOCK_NAME_OFFSET + nameLength
                || buffer.getInt(BLOCK_HEADER_LENGTH_OFFSET) != blockHeaderLength(nameLength)
                || buffer.getInt(BLOCK_CRC_OFFSET) != crc(buffer, nameLength)) {
            return Optional.empty();
        }
        byte[] name = new byte[nameLength];
        buffer.get(BLOCK_NAME_OFFSET, name);
        return Optional.of(new BlockHeader(new String(name, StandardCharsets.UTF_8),
                buffer.getLong(BLOCK_NONCE_OFFSET), buffer.getLong(BLOCK_SEQ_OFFSET),
                buffer.getLong(BLOCK_BASE_SEQUENCE_OFFSET)));
    }

    private static int crc(ByteBuffer buffer, int nameLength) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(0, BLOCK_CRC_OFFSET));
        crc.update(buffer.slice(BLOCK_NAME_OFFSET, nameLength));
        return (int) crc.getValue();
    }
}
