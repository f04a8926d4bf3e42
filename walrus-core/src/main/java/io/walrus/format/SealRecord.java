package io.walrus.format;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One record of the {@code SEALS} file: a sealed block as its writer left it, recorded once the
 * block's data was on stable storage, so that {@code open()} can take the block as it is instead of
 * reading every entry in it. The file is a 16-byte header ({@code magic}, {@code version}, 8 bytes
 * reserved) and then records, appended:
 *
 * <pre>
 *   0              8            12          16         24      32             40             48             52               56               64         68
 *   +--------------+------------+-----------+----------+-------+--------------+--------------+--------------+----------------+----------------+----------+--------+
 *   | fileSequence | blockIndex | endOffset | blockSeq | nonce | baseSequence | nextSequence | commitOffset | remainingAtEnd | commitSequence | reserved | crc32c |
 *   +--------------+------------+-----------+----------+-------+--------------+--------------+--------------+----------------+----------------+----------+--------+
 * </pre>
 * {@code endOffset} is where the block's last entry ends and {@code nextSequence} the sequence after
 * it; {@code commitOffset}/{@code commitSequence} where the last batch that ends in the block ends
 * ({@code -1}/{@code -1} when every entry of the block belongs to a batch that ends in a later
 * block); {@code remainingAtEnd} the {@code batchRemaining} of the block's last entry. A record
 * applies to a block only if {@code blockSeq} and {@code nonce} match its header. {@code crc32c}
 * covers bytes [0, 68); a record that does not verify (a torn append) is ignored, and so is
 * everything after it.
 */
public record SealRecord(long fileSequence, int blockIndex, int endOffset, long blockSeq, long nonce,
                         long baseSequence, long nextSequence, int commitOffset, int remainingAtEnd,
                         long commitSequence) {
    public static final int MAGIC = 0x4C455357 ^ 0x01010101; // distinct from the seal marker
    public static final int VERSION = 1;
    public static final int FILE_HEADER = 16;
    public static final int SIZE = 72;
    private static final int CRC_OFFSET = 68;

    public static void encodeFileHeader(ByteBuffer target) {
        FormatDescriptor.order(target);
        target.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, 0);
    }

    public static boolean validFileHeader(ByteBuffer source) {
        FormatDescriptor.order(source);
        return source.limit() >= FILE_HEADER && source.getInt(0) == MAGIC && source.getInt(4) == VERSION;
    }

    /** Writes this record at {@code at} of {@code target}. */
    public void encode(ByteBuffer target, int at) {
        FormatDescriptor.order(target);
        target.putLong(at, fileSequence).putInt(at + 8, blockIndex).putInt(at + 12, endOffset)
                .putLong(at + 16, blockSeq).putLong(at + 24, nonce).putLong(at + 32, baseSequence)
                .putLong(at + 40, nextSequence).putInt(at + 48, commitOffset).putInt(at + 52, remainingAtEnd)
                .putLong(at + 56, commitSequence).putInt(at + 64, 0);
        target.putInt(at + CRC_OFFSET, crc(target, at));
    }

    /** The record at {@code at} of {@code source}, or empty when it does not verify. */
    public static Optional<SealRecord> decode(ByteBuffer source, int at) {
        FormatDescriptor.order(source);
        if (source.limit() - at < SIZE || source.getInt(at + CRC_OFFSET) != crc(source, at)) {
            return Optional.empty();
        }
        SealRecord record = new SealRecord(source.getLong(at), source.getInt(at + 8), source.getInt(at + 12),
                source.getLong(at + 16), source.getLong(at + 24), source.getLong(at + 32), source.getLong(at + 40),
                source.getInt(at + 48), source.getInt(at + 52), source.getLong(at + 56));
        boolean sane = record.blockIndex >= 0 && record.endOffset > 0 && record.nextSequence >= record.baseSequence
                && record.baseSequence >= 0 && record.remainingAtEnd >= 0
                && (record.commitOffset == -1 ? record.commitSequence == -1
                        : record.commitOffset > 0 && record.commitOffset <= record.endOffset
                        && record.commitSequence > record.baseSequence && record.commitSequence <= record.nextSequence);
        return sane ? Optional.of(record) : Optional.empty();
    }

    /** Key of the block this record is about: its file and its index there. */
    public static long key(long fileSequence, int blockIndex) {
        return fileSequence * 1_000_003L + blockIndex;
    }

    public long key() {
        return key(fileSequence, blockIndex);
    }

    private static int crc(ByteBuffer buffer, int at) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(at, CRC_OFFSET));
        return (int) crc.getValue();
    }
}
