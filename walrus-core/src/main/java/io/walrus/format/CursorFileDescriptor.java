package io.walrus.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The layout of a cursor file, the one place it is coded ({@code docs/FORMAT.md}, "Cursor files", tells
 * the same story). Version 2 is two fixed 4 KiB slots, so a
 * save overwrites one slot in place and a torn write of one block can only damage the slot being
 * written; the slot for generation {@code g} is {@code g % 2}, so a save never touches the slot
 * holding the last save. Each slot, zero-padded to 4096 bytes:
 *
 * <pre>
 *   0       4         8            16             24         32       36           40     44
 *   +-------+---------+------------+--------------+----------+--------+------------+------+------------+
 *   | magic | version | generation | nextSequence | blockSeq | offset | nameLength | crc  | topic name |
 *   +-------+---------+------------+--------------+----------+--------+------------+------+------------+
 * </pre>
 * {@code version} is 2, {@code crc} is CRC32C of bytes [0, 40) and the name. The file is exactly
 * {@link #FILE_SIZE} bytes: slot 0 at 0, slot 1 at 4096. A reader takes the verifying slot with the
 * higher generation.
 *
 * <p>Version 1, still read, is one record and nothing else (36 bytes and the name):
 * <pre>
 *   0       4         8              16         24       28           32     36
 *   +-------+---------+--------------+----------+--------+------------+------+------------+
 *   | magic | version | nextSequence | blockSeq | offset | nameLength | crc  | topic name |
 *   +-------+---------+--------------+----------+--------+------------+------+------------+
 * </pre>
 * {@code version} is 1, {@code crc} is CRC32C of bytes [0, 32) and the name.
 */
public final class CursorFileDescriptor {
    public static final int MAGIC = 0x52435557; // "WUCR"
    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int SLOT_SIZE = 4096;
    public static final int FILE_SIZE = 2 * SLOT_SIZE;

    private static final int V1_HEADER = 36;
    private static final int V1_CRC = 32;
    private static final int V2_HEADER = 44;
    private static final int V2_CRC = 40;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private CursorFileDescriptor() {
    }

    /**
     * A cursor read back from a file.
     *
     * @param generation the generation of the slot it came from; {@link #VERSION_1_FILE} for a version 1 file
     */
    public record Stored(String topic, long nextSequence, long blockSeq, int offset, long generation) {
        public static final long VERSION_1_FILE = -1;

        /** Whether it came from a version 2 file, which saves can overwrite in place. */
        public boolean inSlots() {
            return generation >= 0;
        }
    }

    /** Byte offset of the slot that generation {@code generation} is written to. */
    public static long slotOffset(long generation) {
        return (generation & 1) * SLOT_SIZE;
    }

    /**
     * Writes the slot of {@code generation} into {@code slot[0, SLOT_SIZE)}, zero-padded. Allocates
     * nothing: a save reuses its topic's array and checksum.
     */
    public static void encodeSlot(byte[] slot, long generation, byte[] name, long nextSequence, long blockSeq,
            int offset, CRC32C crc) {
        if (V2_HEADER + name.length > SLOT_SIZE) {
            throw new IllegalArgumentException("topic name has " + name.length + " bytes; a cursor slot holds at most "
                    + (SLOT_SIZE - V2_HEADER));
        }
        INT.set(slot, 0, MAGIC);
        INT.set(slot, 4, VERSION_2);
        LONG.set(slot, 8, generation);
        LONG.set(slot, 16, nextSequence);
        LONG.set(slot, 24, blockSeq);
        INT.set(slot, 32, offset);
        INT.set(slot, 36, name.length);
        System.arraycopy(name, 0, slot, V2_HEADER, name.length);
        Arrays.fill(slot, V2_HEADER + name.length, SLOT_SIZE, (byte) 0);
        crc.reset();
        crc.update(slot, 0, V2_CRC);
        crc.update(slot, V2_HEADER, name.length);
        INT.set(slot, V2_CRC, (int) crc.getValue());
    }

    /** A whole new version 2 file: both slots hold the cursor, as generations 0 and 1. */
    public static ByteBuffer encodeFile(byte[] name, long nextSequence, long blockSeq, int offset) {
        byte[] file = new byte[FILE_SIZE];
        byte[] slot = new byte[SLOT_SIZE];
        CRC32C crc = new CRC32C();
        for (int generation = 0; generation < 2; generation++) {
            encodeSlot(slot, generation, name, nextSequence, blockSeq, offset, crc);
            System.arraycopy(slot, 0, file, (int) slotOffset(generation), SLOT_SIZE);
        }
        return ByteBuffer.wrap(file);
    }

    /** What the file holds: its newest verifying slot (version 2) or its record (version 1); empty if none verifies. */
    public static Optional<Stored> decode(byte[] file) {
        if (file.length != FILE_SIZE) {
            return decodeVersion1(file);
        }
        Optional<Stored> first = decodeSlot(file, 0);
        Optional<Stored> second = decodeSlot(file, 1);
        if (first.isEmpty() || second.isEmpty()) {
            return first.isPresent() ? first : second;
        }
        return first.get().generation() > second.get().generation() ? first : second;
    }

    private static Optional<Stored> decodeSlot(byte[] file, int index) {
        ByteBuffer slot = ByteBuffer.wrap(file, index * SLOT_SIZE, SLOT_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        long generation = slot.getLong(8);
        int nameLength = slot.getInt(36);
        if (slot.getInt(0) != MAGIC || slot.getInt(4) != VERSION_2 || generation < 0 || (generation & 1) != index
                || nameLength <= 0 || nameLength > SLOT_SIZE - V2_HEADER) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(slot.slice(0, V2_CRC));
        crc.update(slot.slice(V2_HEADER, nameLength));
        if (slot.getInt(V2_CRC) != (int) crc.getValue()) {
            return Optional.empty();
        }
        byte[] name = new byte[nameLength];
        slot.get(V2_HEADER, name);
        return Optional.of(new Stored(new String(name, StandardCharsets.UTF_8), slot.getLong(16), slot.getLong(24),
                slot.getInt(32), generation));
    }

    private static Optional<Stored> decodeVersion1(byte[] bytes) {
        if (bytes.length < V1_HEADER) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int nameLength = buffer.getInt(28);
        if (buffer.getInt(0) != MAGIC || buffer.getInt(4) != VERSION_1 || nameLength <= 0
                || V1_HEADER + nameLength != bytes.length) {
            return Optional.empty();
        }
        byte[] name = Arrays.copyOfRange(bytes, V1_HEADER, bytes.length);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, V1_CRC);
        crc.update(name);
        if (buffer.getInt(V1_CRC) != (int) crc.getValue()) {
            return Optional.empty();
        }
        return Optional.of(new Stored(new String(name, StandardCharsets.UTF_8), buffer.getLong(8), buffer.getLong(16),
                buffer.getInt(24), Stored.VERSION_1_FILE));
    }
}
