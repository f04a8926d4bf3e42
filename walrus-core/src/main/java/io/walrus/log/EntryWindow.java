package io.walrus.log;

import static io.walrus.format.FormatDescriptor.ENTRY_HEADER_SIZE;
import static io.walrus.format.FormatDescriptor.entryFrameLength;

import io.walrus.format.EntryCodec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads committed entries of a block through one staging buffer: a read fetches as many whole
 * entries as fit, so a batch read costs one system call per buffer-full, not one per entry. Every
 * entry is verified (checksum, sequence) before its payload is handed out.
 */
final class EntryWindow {
    private ByteBuffer buffer;
    private final EntryCodec codec;
    private Block block;
    private int start;
    private int length;
    /** Frame length of the entry last returned by {@link #read}. */
    int frameLength;

    EntryWindow(ByteBuffer buffer, EntryCodec codec) {
        this.buffer = buffer;
        this.codec = codec;
    }

    /**
     * This window over {@code staging} instead, holding nothing: a consumer's reader keeps one window
     * and hands it the pool's buffer at each read, so a read allocates no window of its own.
     */
    EntryWindow over(ByteBuffer staging) {
        this.buffer = staging;
        this.block = null;
        this.length = 0;
        return this;
    }

    /**
     * The payload of the entry at {@code offset} of {@code block}, which the caller knows is below the
     * block's committed {@code end}. {@code prefetch} caps how much is read ahead beyond that entry.
     *
     * @throws IOException when the bytes there do not verify: the log is damaged
     */
    byte[] read(Block block, int offset, int end, long expectedSequence, int prefetch) throws IOException {
        if (this.block != block || offset < start || offset + ENTRY_HEADER_SIZE > start + length) {
            fill(block, offset, Math.min(end - offset, Math.max(prefetch, ENTRY_HEADER_SIZE)));
        }
        int at = offset - start;
        if (!EntryCodec.plausibleHeader(buffer, at, end - offset)
                || EntryCodec.sequence(buffer, at) != expectedSequence) {
            throw damaged(block, offset, expectedSequence, "header does not verify");
        }
        int payloadLength = EntryCodec.payloadLength(buffer, at);
        frameLength = (int) entryFrameLength(payloadLength);
        byte[] payload = new byte[payloadLength];
        if (ENTRY_HEADER_SIZE + payloadLength > length - at) {
            if (ENTRY_HEADER_SIZE + payloadLength <= buffer.capacity()) {
                fill(block, offset, Math.min(end - offset, Math.max(prefetch, frameLength)));
                at = 0;
            } else {
                ByteBuffer header = readLarge(block, offset, at, payload);
                if (!codec.verify(header, 0, payload, block.nonce)) {
                    throw damaged(block, offset, expectedSequence, "checksum mismatch");
                }
                return payload;
            }
        }
        if (!codec.verify(buffer, at, at + ENTRY_HEADER_SIZE, block.nonce)) {
            throw damaged(block, offset, expectedSequence, "checksum mismatch");
        }
        buffer.get(at + ENTRY_HEADER_SIZE, payload);
        return payload;
    }

    /**
     * Steps over the entry at {@code offset} of {@code block} without reading its payload, and
     * returns its frame length: its header must be plausible and carry {@code expectedSequence}.
     * For finding an entry by sequence: walking a block this way costs one read per window of
     * headers, and leaves the window where the walk stopped, for the read that follows.
     *
     * @throws IOException when the header there does not verify: the log is damaged
     */
    int skip(Block block, int offset, int end, long expectedSequence) throws IOException {
        if (this.block != block || offset < start || offset + ENTRY_HEADER_SIZE > start + length) {
            fill(block, offset, end - offset);
        }
        int at = offset - start;
        if (!EntryCodec.plausibleHeader(buffer, at, end - offset)
                || EntryCodec.sequence(buffer, at) != expectedSequence) {
            throw damaged(block, offset, expectedSequence, "header does not verify");
        }
        return (int) entryFrameLength(EntryCodec.payloadLength(buffer, at));
    }

    /** The most bytes one fill reads. */
    int capacity() {
        return buffer.capacity();
    }

    private void fill(Block block, int offset, int bytes) throws IOException {
        int want = Math.min(bytes, buffer.capacity());
        buffer.clear().limit(want);
        int got = block.file.io.read(buffer, block.fileOffset + offset);
        this.block = block;
        this.start = offset;
        this.length = got;
        if (got < Math.min(want, ENTRY_HEADER_SIZE)) {
            throw new DamagedEntryException(block, block + " is damaged at offset " + offset + ": the file is shorter "
                    + "than its header says; the log must be reopened to cut it off");
        }
    }

    /**
     * A payload bigger than the window: read through the window in chunks. Returns a copy of the
     * entry's header, since the window is overwritten (and no longer mirrors the file afterwards).
     */
    private ByteBuffer readLarge(Block block, int offset, int headerAt, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER_SIZE).order(buffer.order());
        header.put(0, buffer, headerAt, ENTRY_HEADER_SIZE);
        this.block = null;
        long position = block.fileOffset + offset + ENTRY_HEADER_SIZE;
        for (int done = 0; done < payload.length; ) {
            int chunk = Math.min(payload.length - done, buffer.capacity());
            buffer.clear().limit(chunk);
            int got = block.file.io.read(buffer, position + done);
            if (got < chunk) {
                throw new DamagedEntryException(block, block + " is damaged at offset " + offset + ": the file ends "
                        + "inside a " + payload.length + "-byte entry; the log must be reopened to cut it off");
            }
            buffer.get(0, payload, done, chunk);
            done += chunk;
        }
        return header;
    }

    private static DamagedEntryException damaged(Block block, int offset, long sequence, String why) {
        return new DamagedEntryException(block, "entry " + sequence + " in " + block + " at offset " + offset
                + " is damaged (" + why + "); the log must be reopened to cut it off");
    }

    /** An entry that does not verify where the chain says one is. */
    static final class DamagedEntryException extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Block block;

        DamagedEntryException(Block block, String message) {
            super(message);
            this.block = block;
        }
    }
}
