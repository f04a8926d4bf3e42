package io.walrus.format;

import static io.walrus.format.FormatDescriptor.*;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/** The header at the start of every data file; see {@link FormatDescriptor}. */
public record FileHeader(int version, int blockSize, int blockCount, long fileSequence, long createdMillis) {

    public static FileHeader create(int blockSize, int blockCount, long fileSequence) {
        return new FileHeader(FORMAT_VERSION, blockSize, blockCount, fileSequence, System.currentTimeMillis());
    }

    public long fileLength() {
        return FormatDescriptor.fileLength(blockSize, blockCount);
    }

    /** Writes the header at {@code buffer}'s position 0..FILE_HEADER_SIZE, zeros after the used part. */
    public void encode(ByteBuffer buffer) {
        order(buffer);
        for (int i = 0; i < FILE_HEADER_SIZE; i += 8) {
            buffer.putLong(i, 0L);
        }
        buffer.putLong(FILE_MAGIC_OFFSET, FILE_MAGIC);
        buffer.putInt(FILE_VERSION_OFFSET, version);
        buffer.putInt(FILE_BLOCK_SIZE_OFFSET, blockSize);
        buffer.putInt(FILE_BLOCK_COUNT_OFFSET, blockCount);
        buffer.putLong(FILE_SEQUENCE_OFFSET, fileSequence);
        buffer.putLong(FILE_CREATED_OFFSET, createdMillis);
        buffer.putInt(FILE_CRC_OFFSET, crc(buffer));
        buffer.limit(FILE_HEADER_SIZE).position(0);
    }

    /**
     * Reads a header from bytes [0, FILE_HEADER_USED) of {@code buffer}, or empty when they are not a
     * valid header of a version this code reads.
     */
    public static Optional<FileHeader> decode(ByteBuffer buffer) {
        order(buffer);
        if (buffer.limit() < FILE_HEADER_USED || buffer.getLong(FILE_MAGIC_OFFSET) != FILE_MAGIC) {
            return Optional.empty();
        }
        if (buffer.getInt(FILE_CRC_OFFSET) != crc(buffer)) {
            return Optional.empty();
        }
        int version = buffer.getInt(FILE_VERSION_OFFSET);
        int blockSize = buffer.getInt(FILE_BLOCK_SIZE_OFFSET);
        int blockCount = buffer.getInt(FILE_BLOCK_COUNT_OFFSET);
        if (version != FORMAT_VERSION || blockSize <= 0 || blockSize % ALIGNMENT != 0 || blockCount <= 0) {
            return Optional.empty();
        }
        return Optional.of(new FileHeader(version, blockSize, blockCount,
                buffer.getLong(FILE_SEQUENCE_OFFSET), buffer.getLong(FILE_CREATED_OFFSET)));
    }

    private static int crc(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(0, FILE_CRC_OFFSET));
        return (int) crc.getValue();
    }
}
