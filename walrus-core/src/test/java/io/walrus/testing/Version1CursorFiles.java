package io.walrus.testing;

import io.walrus.cursor.Cursor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Cursor files as Walrus wrote them before version 2, coded here by hand so the tests pin the old
 * layout independently of the reader: magic, version 1, nextSequence, blockSeq, offset, nameLength,
 * CRC32C of the first 32 bytes and the name, then the name.
 */
public final class Version1CursorFiles {
    private Version1CursorFiles() {
    }

    public static byte[] encode(String topic, Cursor cursor) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(36 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(0x52435557).putInt(1).putLong(cursor.nextSequence()).putLong(cursor.blockSeq())
                .putInt(cursor.offset()).putInt(name.length);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, 32);
        crc.update(name);
        buffer.putInt((int) crc.getValue()).put(name);
        return buffer.array();
    }
}
