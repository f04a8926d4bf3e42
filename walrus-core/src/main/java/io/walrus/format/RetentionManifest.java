package io.walrus.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The {@code RETENTION} file of an instance directory: for every topic whose oldest entries were
 * deleted (their data files were consumed by every consumer that counts), where the topic now
 * starts. Recovery reads it so that a topic whose early files are gone is not taken for a topic
 * whose early files were lost to damage.
 *
 * <pre>
 *   0       4         8            12       16
 *   +-------+---------+------------+--------+------------------------------------------+
 *   | magic | version | topicCount | crc32c | topicCount records                       |
 *   +-------+---------+------------+--------+------------------------------------------+
 *
 *   record:
 *   0               8               16           20
 *   +---------------+---------------+------------+------------+
 *   | floorSequence | floorBlockSeq | nameLength | topic name |
 *   +---------------+---------------+------------+------------+
 * </pre>
 * {@code floorSequence} is the first entry the topic still holds (its next entry when it holds
 * none); {@code floorBlockSeq} is the block sequence of the topic's first retained block (the next
 * one it will take when it holds none): every block of the topic with a lower block sequence is
 * consumed and may be gone. {@code crc32c} is CRC32C of bytes [0, 12) and of every record.
 * The file is replaced whole (written to {@code RETENTION.tmp}, fsynced, renamed, directory fsynced).
 */
public final class RetentionManifest {
    public static final int MAGIC = 0x54455257; // "WRET"
    public static final int VERSION = 1;
    public static final int HEADER = 16;
    public static final int RECORD_HEADER = 20;
    private static final int CRC_OFFSET = 12;

    /** Where a topic starts after deletion. */
    public record Floor(long sequence, long blockSeq) {
    }

    private RetentionManifest() {
    }

    public static byte[] encode(Map<String, Floor> floors) {
        int size = HEADER;
        Map<String, byte[]> names = new LinkedHashMap<>();
        for (String topic : floors.keySet()) {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            names.put(topic, name);
            size += RECORD_HEADER + name.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt(VERSION).putInt(floors.size()).putInt(0);
        for (Map.Entry<String, byte[]> entry : names.entrySet()) {
            Floor floor = floors.get(entry.getKey());
            buffer.putLong(floor.sequence()).putLong(floor.blockSeq()).putInt(entry.getValue().length)
                    .put(entry.getValue());
        }
        buffer.putInt(CRC_OFFSET, crc(buffer.array()));
        return buffer.array();
    }

    /** The floors in {@code bytes}, or empty when they are not a whole, verifying manifest. */
    public static Optional<Map<String, Floor>> decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int count = buffer.getInt(8);
        if (buffer.getInt(0) != MAGIC || buffer.getInt(4) != VERSION || count < 0
                || buffer.getInt(CRC_OFFSET) != crc(bytes)) {
            return Optional.empty();
        }
        Map<String, Floor> floors = new LinkedHashMap<>();
        buffer.position(HEADER);
        for (int i = 0; i < count; i++) {
            if (buffer.remaining() < RECORD_HEADER) {
                return Optional.empty();
            }
            long sequence = buffer.getLong();
            long blockSeq = buffer.getLong();
            int nameLength = buffer.getInt();
            if (nameLength <= 0 || nameLength > FormatDescriptor.MAX_TOPIC_NAME_BYTES || buffer.remaining() < nameLength
                    || sequence < 0 || blockSeq < 0) {
                return Optional.empty();
            }
            byte[] name = new byte[nameLength];
            buffer.get(name);
            floors.put(new String(name, StandardCharsets.UTF_8), new Floor(sequence, blockSeq));
        }
        return buffer.hasRemaining() ? Optional.empty() : Optional.of(floors);
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        crc.update(bytes, HEADER, bytes.length - HEADER);
        return (int) crc.getValue();
    }
}
