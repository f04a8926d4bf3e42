package io.walrus.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The {@code CONSUMER} file of a named consumer's directory: its exact name and where it started.
 * The file is written last when a consumer is created and deleted first when it is removed, so a
 * consumer exists exactly when this file does and verifies.
 *
 * <pre>
 *   0       4         8       12           16              24     28         32
 *   +-------+---------+-------+------------+---------------+------+----------+------+
 *   | magic | version | start | nameLength | createdMillis | crc  | reserved | name |
 *   +-------+---------+-------+------------+---------------+------+----------+------+
 * </pre>
 * {@code start} is 0 for the earliest retained entry, 1 for the tail; {@code crc} is CRC32C of
 * bytes [0, 24) and the name (UTF-8).
 *
 * @param name          the consumer's exact name
 * @param startsAtTail  whether it started at the tail of every topic that existed when it was created
 * @param createdMillis wall-clock creation time
 */
public record ConsumerDescriptor(String name, boolean startsAtTail, long createdMillis) {
    public static final int MAGIC = 0x534E4357; // "WCNS"
    public static final int VERSION = 1;
    public static final int HEADER = 32;
    /** Consumer names are limited like topic names. */
    public static final int MAX_NAME_BYTES = FormatDescriptor.MAX_TOPIC_NAME_BYTES;
    private static final int CRC_OFFSET = 24;

    public byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + nameBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(0, MAGIC).putInt(4, VERSION).putInt(8, startsAtTail ? 1 : 0).putInt(12, nameBytes.length)
                .putLong(16, createdMillis).putInt(28, 0);
        buffer.put(HEADER, nameBytes);
        buffer.putInt(CRC_OFFSET, crc(buffer.array(), nameBytes));
        return buffer.array();
    }

    /** The descriptor in {@code bytes}, or empty when they are not a whole, verifying one. */
    public static Optional<ConsumerDescriptor> decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int start = buffer.getInt(8);
        int nameLength = buffer.getInt(12);
        if (buffer.getInt(0) != MAGIC || buffer.getInt(4) != VERSION || (start != 0 && start != 1)
                || nameLength <= 0 || nameLength > MAX_NAME_BYTES || HEADER + nameLength != bytes.length) {
            return Optional.empty();
        }
        byte[] nameBytes = Arrays.copyOfRange(bytes, HEADER, bytes.length);
        if (buffer.getInt(CRC_OFFSET) != crc(bytes, nameBytes)) {
            return Optional.empty();
        }
        return Optional.of(new ConsumerDescriptor(new String(nameBytes, StandardCharsets.UTF_8), start == 1,
                buffer.getLong(16)));
    }

    private static int crc(byte[] header, byte[] name) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, CRC_OFFSET);
        crc.update(name);
        return (int) crc.getValue();
    }
}
