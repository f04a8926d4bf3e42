package io.walrus.log;

import static io.walrus.format.FormatDescriptor.ENTRY_HEADER_SIZE;
import static io.walrus.format.FormatDescriptor.ENTRY_MARKER_OFFSET;
import static io.walrus.format.FormatDescriptor.SEAL_MARKER;
import static io.walrus.format.FormatDescriptor.entryFrameLength;

import io.walrus.format.EntryCodec;
import io.walrus.format.FormatDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the entry frame at a given offset of a block and says what is there, for tools that look at
 * a directory without opening it. Unlike {@link ChainScanner}, which only needs to know where the
 * verified prefix ends, it tells a clean end (zeros, a seal) from damage (a checksum that does not
 * match, bytes that are no header at all), and it lets the caller step over a damaged entry whose
 * length is still readable to look at what follows.
 *
 * <p>Reads go through a window of whole frames, so walking a block costs one read per window, not
 * one per entry. A live writer may be appending to the block: {@link #forget()} drops the window so
 * the next read sees the file as it is now.
 */
final class FrameReader {
    /** What the bytes at an offset are. */
    enum Kind {
        /** An entry that verifies: header fields and payload under the block's nonce. */
        ENTRY,
        /** A seal record: nothing after it in the block is part of the log. */
        SEAL,
        /** Zeros where a header would be: the end of what was written. */
        EMPTY,
        /** Too few bytes left in the block for a header: the block is full. */
        NO_ROOM,
        /** A plausible header whose checksum does not match its bytes; {@link #frameLength} is known. */
        BAD_CHECKSUM,
        /** Bytes that are neither zeros nor a plausible header. */
        BAD_HEADER,
        /** The file ends before the frame does. */
        SHORT_FILE
    }

    private static final int WINDOW = 1 << 20;

    private final ByteBuffer buffer = FormatDescriptor.order(ByteBuffer.allocate(WINDOW));
    private final ByteBuffer largeHeader = FormatDescriptor.order(ByteBuffer.allocate(ENTRY_HEADER_SIZE));
    private final EntryCodec codec = new EntryCodec();
    private Block windowBlock;
    private int windowStart;
    private int windowLength;

    // The frame last read.
    long sequence;
    int batchRemaining;
    int payloadLength;
    int frameLength;
    private byte[] largePayload;
    private int payloadAt;

    /** Drops what was read ahead, so the next read goes to the file. */
    void forget() {
        windowBlock = null;
    }

    /** Reads the frame at {@code offset} of {@code block}; the fields describe it until the next read. */
    Kind read(Block block, int offset) throws IOException {
        largePayload = null;
        sequence = -1;
        frameLength = 0;
        if (block.capacity - offset < ENTRY_HEADER_SIZE) {
            return Kind.NO_ROOM;
        }
        if (!inWindow(block, offset, ENTRY_HEADER_SIZE) && fill(block, offset) < ENTRY_HEADER_SIZE) {
            return Kind.SHORT_FILE;
        }
        int at = offset - windowStart;
        if (isZero(at)) {
            return Kind.EMPTY;
        }
        sequence = EntryCodec.sequence(buffer, at);
        if (buffer.getInt(at + ENTRY_MARKER_OFFSET) == SEAL_MARKER && codec.isSeal(buffer, at, sequence, block.nonce)) {
            return Kind.SEAL;
        }
        if (!EntryCodec.plausibleHeader(buffer, at, block.capacity - offset)) {
            return Kind.BAD_HEADER;
        }
        payloadLength = EntryCodec.payloadLength(buffer, at);
        batchRemaining = EntryCodec.batchRemaining(buffer, at);
        frameLength = (int) entryFrameLength(payloadLength);
        if (ENTRY_HEADER_SIZE + payloadLength > WINDOW) {
            return readLarge(block, offset, at);
        }
        if (!inWindow(block, offset, ENTRY_HEADER_SIZE + payloadLength)) {
            if (fill(block, offset) < ENTRY_HEADER_SIZE + payloadLength) {
                return Kind.SHORT_FILE;
            }
            at = 0;
        }
        payloadAt = at + ENTRY_HEADER_SIZE;
        return codec.verify(buffer, at, payloadAt, block.nonce) ? Kind.ENTRY : Kind.BAD_CHECKSUM;
    }

    /** The payload of the {@link Kind#ENTRY} last read, copied. */
    byte[] payload() {
        if (largePayload != null) {
            return largePayload.clone();
        }
        byte[] payload = new byte[payloadLength];
        buffer.get(payloadAt, payload);
        return payload;
    }

    private Kind readLarge(Block block, int offset, int at) throws IOException {
        largeHeader.put(0, buffer, at, ENTRY_HEADER_SIZE);
        ByteBuffer payload = ByteBuffer.allocate(payloadLength);
        int got = block.file.io.read(payload, block.fileOffset + offset + ENTRY_HEADER_SIZE);
        if (got < payloadLength) {
            return Kind.SHORT_FILE;
        }
        largePayload = payload.array();
        return codec.verify(largeHeader, 0, largePayload, block.nonce) ? Kind.ENTRY : Kind.BAD_CHECKSUM;
    }

    private boolean inWindow(Block block, int offset, int length) {
        return windowBlock == block && offset >= windowStart && offset + length <= windowStart + windowLength;
    }

    private int fill(Block block, int offset) throws IOException {
        buffer.clear().limit(Math.min(WINDOW, block.capacity - offset));
        windowLength = block.file.io.read(buffer, block.fileOffset + offset);
        windowStart = offset;
        windowBlock = block;
        return windowLength;
    }

    private boolean isZero(int at) {
        for (int i = 0; i < ENTRY_HEADER_SIZE; i += 8) {
            if (buffer.getLong(at + i) != 0) {
                return false;
            }
        }
        return true;
    }
}
