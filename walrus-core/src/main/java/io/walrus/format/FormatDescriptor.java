package io.walrus.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The on-disk layout of a data file, in one place. {@code docs/FORMAT.md} tells the same story in
 * prose; the two must agree. All integers are little-endian.
 *
 * <h2>Data file</h2>
 * <pre>
 *   0                 4096            4096 + blockSize        ...
 *   +-----------------+---------------+------------------------+-----
 *   |  file header    |   block 0     |   block 1              | ... block (blockCount - 1)
 *   +-----------------+---------------+------------------------+-----
 * </pre>
 * The file is preallocated to {@code 4096 + blockCount * blockSize} bytes and never grows.
 *
 * <h2>File header (the first 4096 bytes, the rest zero)</h2>
 * <pre>
 *   0       8       12          16           20         24             32              40       44
 *   +-------+-------+-----------+------------+----------+--------------+---------------+--------+
 *   | magic |version| blockSize | blockCount | reserved | fileSequence | createdMillis | crc32c |
 *   +-------+-------+-----------+------------+----------+--------------+---------------+--------+
 * </pre>
 * {@code crc32c} covers bytes [0, 40).
 *
 * <h2>Block header (at the start of every block a topic owns)</h2>
 * <pre>
 *   0        4              8       16         24             32          36      40       44         48
 *   +--------+--------------+-------+----------+--------------+-----------+-------+--------+----------+------------+
 *   | marker | headerLength | nonce | blockSeq | baseSequence | nameLength| flags | crc32c | reserved | topic name |
 *   +--------+--------------+-------+----------+--------------+-----------+-------+--------+----------+------------+
 * </pre>
 * {@code blockSeq} orders the topic's blocks; {@code baseSequence} is the sequence of the block's
 * first entry. {@code nonce} is random per block and is mixed into every entry checksum of the
 * block, so bytes left over from another block or another life of this block never verify.
 * {@code crc32c} covers bytes [0, 40) and the name. {@code headerLength} is 48 + the UTF-8 name,
 * rounded up to 8.
 *
 * <h2>Entry (from headerLength on, back to back, each 8-byte aligned)</h2>
 * <pre>
 *   0               4                8          16       20       24
 *   +---------------+----------------+----------+--------+--------+-------------------+---------+
 *   | payloadLength | batchRemaining | sequence | marker | crc32c | payload           | padding |
 *   +---------------+----------------+----------+--------+--------+-------------------+---------+
 * </pre>
 * {@code sequence} numbers a topic's entries from 0 without gaps. {@code batchRemaining} counts the
 * entries of the same batch that follow this one: a single append is a batch of one, and an entry
 * with {@code batchRemaining == 0} commits its batch. Recovery keeps a batch only if all its entries
 * verify. {@code crc32c} covers bytes [0, 20) and the payload, XORed with the block's mixed nonce.
 * The region after the last entry is zero, or garbage that fails verification.
 *
 * <h2>Seal record</h2>
 * An entry header with {@code marker == SEAL_MARKER}, {@code payloadLength == 0}, the next expected
 * sequence, and a checksum as for an entry. Recovery writes one where it cut a block after a crash:
 * nothing after it in the block is ever read, and no writer appends to that block again.
 */
public final class FormatDescriptor {
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int FORMAT_VERSION = 1;
    public static final int ALIGNMENT = 8;

    // ---- file header
    public static final long FILE_MAGIC = 0x314C41575355524CL; // "LRUSWAL1" read little-endian: arbitrary, distinctive
    public static final int FILE_HEADER_SIZE = 4096;
    public static final int FILE_MAGIC_OFFSET = 0;
    public static final int FILE_VERSION_OFFSET = 8;
    public static final int FILE_BLOCK_SIZE_OFFSET = 12;
    public static final int FILE_BLOCK_COUNT_OFFSET = 16;
    public static final int FILE_SEQUENCE_OFFSET = 24;
    public static final int FILE_CREATED_OFFSET = 32;
    public static final int FILE_CRC_OFFSET = 40;
    public static final int FILE_HEADER_USED = 44;

    // ---- block header
    public static final int BLOCK_MARKER = 0x4B4C4257; // "WBLK"
    public static final int BLOCK_MARKER_OFFSET = 0;
    public static final int BLOCK_HEADER_LENGTH_OFFSET = 4;
    public static final int BLOCK_NONCE_OFFSET = 8;
    public static final int BLOCK_SEQ_OFFSET = 16;
    public static final int BLOCK_BASE_SEQUENCE_OFFSET = 24;
    public static final int BLOCK_NAME_LENGTH_OFFSET = 32;
    public static final int BLOCK_FLAGS_OFFSET = 36;
    public static final int BLOCK_CRC_OFFSET = 40;
    public static final int BLOCK_NAME_OFFSET = 48;
    /** Longest topic name, in UTF-8 bytes. */
    public static final int MAX_TOPIC_NAME_BYTES = 1024;

    // ---- entry header
    public static final int ENTRY_MARKER = 0x544E4557; // "WENT"
    /** Marks a seal record: an entry header with no payload that ends its block for good. */
    public static final int SEAL_MARKER = 0x4C455357; // "WSEL"
    public static final int ENTRY_HEADER_SIZE = 24;
    public static final int ENTRY_LENGTH_OFFSET = 0;
    public static final int ENTRY_BATCH_REMAINING_OFFSET = 4;
    public static final int ENTRY_SEQUENCE_OFFSET = 8;
    public static final int ENTRY_MARKER_OFFSET = 16;
    public static final int ENTRY_CRC_OFFSET = 20;

    private FormatDescriptor() {
    }

    public static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    public static long align(long length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Bytes an entry of this payload length takes in a block, header and padding included. */
    public static long entryFrameLength(int payloadLength) {
        return align((long) ENTRY_HEADER_SIZE + payloadLength);
    }

    public static int blockHeaderLength(int topicNameBytes) {
        return align(BLOCK_NAME_OFFSET + topicNameBytes);
    }

    public static long fileLength(int blockSize, int blockCount) {
        return FILE_HEADER_SIZE + (long) blockSize * blockCount;
    }

    public static long blockOffset(int blockSize, int blockIndex) {
        return FILE_HEADER_SIZE + (long) blockSize * blockIndex;
    }

    public static ByteBuffer order(ByteBuffer buffer) {
        return buffer.order(BYTE_ORDER);
    }
}
