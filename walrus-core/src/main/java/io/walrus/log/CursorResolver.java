package io.walrus.log;

import static io.walrus.format.FormatDescriptor.ENTRY_HEADER_SIZE;
import static io.walrus.format.FormatDescriptor.entryFrameLength;

import io.walrus.cursor.Cursor;
import io.walrus.format.EntryCodec;
import io.walrus.format.FormatDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Finds where a named consumer's persisted cursor stands in a recovered chain, at open, before the
 * instance takes writes. The cursor's hint (block and offset) is checked against the entry header
 * there; without a usable hint, the block holding the sequence is walked header by header. A cursor
 * beyond the end (entries lost in a crash under a non-sync schedule) is clamped to the end, as
 * recovery does for the default consumer's cursors.
 */
final class CursorResolver {
    /** Where the cursor stands, and whether it had to be pulled back to the end of the log. */
    record Resolved(TopicReader.Position position, boolean clamped) {
    }

    private final ByteBuffer header = FormatDescriptor.order(ByteBuffer.allocate(ENTRY_HEADER_SIZE));

    /** {@code chain} as recovery built it: at least one block, ends published, no writer running. */
    Resolved resolve(Block[] chain, Cursor cursor) throws IOException {
        long wanted = cursor.nextSequence();
        Block first = chain[0];
        if (wanted <= first.baseSequence) {
            return new Resolved(new TopicReader.Position(0, first.headerLength, first.baseSequence), false);
        }
        int lastIndex = chain.length - 1;
        Block last = chain[lastIndex];
        long end = last.committedNextSequence();
        if (wanted >= end) {
            return new Resolved(new TopicReader.Position(lastIndex, last.committedEnd(), end), wanted > end);
        }
        for (int i = 0; i < chain.length; i++) {
            if (chain[i].blockSeq == cursor.blockSeq() && standsAt(chain[i], cursor.offset(), wanted)) {
                return new Resolved(new TopicReader.Position(i, cursor.offset(), wanted), false);
            }
        }
        int index = lastIndex;
        while (chain[index].baseSequence > wanted) {
            index--;
        }
        return new Resolved(new TopicReader.Position(index, walkTo(chain[index], wanted), wanted), false);
    }

    /** Whether entry {@code sequence} starts at {@code offset} of {@code block} (or the block ends there, before it). */
    private boolean standsAt(Block block, int offset, long sequence) throws IOException {
        int end = block.committedEnd();
        if (offset == end) {
            return sequence == block.committedNextSequence();
        }
        if (offset < block.headerLength || offset > end - ENTRY_HEADER_SIZE) {
            return false;
        }
        readHeader(block, offset);
        return EntryCodec.plausibleHeader(header, 0, end - offset) && EntryCodec.sequence(header, 0) == sequence;
    }

    private int walkTo(Block block, long wanted) throws IOException {
        int offset = block.headerLength;
        int end = block.committedEnd();
        for (long sequence = block.baseSequence; sequence < wanted; sequence++) {
            if (offset > end - ENTRY_HEADER_SIZE) {
                throw new IOException("entry " + wanted + " is not in " + block + ", which ends at entry " + sequence);
            }
            readHeader(block, offset);
            if (!EntryCodec.plausibleHeader(header, 0, end - offset) || EntryCodec.sequence(header, 0) != sequence) {
                throw new IOException("entry " + sequence + " in " + block + " at offset " + offset
                        + " does not verify; the log must be reopened");
            }
            offset += (int) entryFrameLength(EntryCodec.payloadLength(header, 0));
        }
        return offset;
    }

    private void readHeader(Block block, int offset) throws IOException {
        header.clear();
        if (block.file.io.read(header, block.fileOffset + offset) < ENTRY_HEADER_SIZE) {
            throw new IOException("short read of an entry header in " + block + " at offset " + offset);
        }
    }
}
