package io.walrus.log;

import static io.walrus.format.FormatDescriptor.ENTRY_HEADER_SIZE;
import static io.walrus.format.FormatDescriptor.entryFrameLength;

import io.walrus.format.EntryCodec;
import io.walrus.format.FormatDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads committed entries of a block through one staging buffer: a read fetches as many whole
 * entries as fit, so a batch read costs one system call per buffer-full, not one per entry. Where
 * the block's file is mapped, entries are read straight out of the mapping instead. Every entry is
 * verified (checksum, sequence) before its payload is handed out.
 */
final class EntryWindow {
    private ByteBuffer buffer;
    private final EntryCodec codec;
    private Block block;
    private int start;
    private int length;
    /** Frame length of the entry last returned by {@link #read} or {@link #view}. */
    int frameLength;

    // For views (see {@link #view}), made once and re-sliced for every entry, never per entry.
    /** A read-only duplicate of {@link #viewSource}, the staging buffer last viewed. */
    private ByteBuffer stagingView;
    private ByteBuffer viewSource;
    /** The mapping of {@link #mappedBlock}, in the format's byte order, where its file has one. */
    private ByteBuffer mapped;
    /**
     * What the visitor gets of {@link #mapped}: the same bytes through the mapping's session, so a view
     * kept past its file's life throws instead of reading unmapped memory.
     */
    private ByteBuffer mappedView;
    private Block mappedBlock;

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
        ByteBuffer map = mapping(block);
        if (map != null) {
            return readMapped(block, map, offset, end, expectedSequence);
        }
        int at = verifiedHeaderAt(block, offset, end, expectedSequence, prefetch);
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
     * The payload of the entry at {@code offset} of {@code block} (below its committed {@code end}),
     * verified, as a read-only view that stays valid until the next call: its bytes between position
     * and limit. Over the file's mapping where it has one (nothing is copied), else over the staging
     * buffer as {@link #read} fills it. Returns null, having verified nothing, when the payload is
     * longer than {@code budget}. Allocates nothing per entry: the views are made once (per staging
     * buffer, per block mapped), except for a payload bigger than the staging buffer, copied into an
     * array of its own.
     *
     * @throws IOException when the bytes there do not verify: the log is damaged
     */
    ByteBuffer view(Block block, int offset, int end, long expectedSequence, int prefetch, long budget)
            throws IOException {
        ByteBuffer map = mapping(block);
        if (map != null) {
            return viewMapped(block, map, offset, end, expectedSequence, budget);
        }
        int at = verifiedHeaderAt(block, offset, end, expectedSequence, prefetch);
        int payloadLength = EntryCodec.payloadLength(buffer, at);
        if (payloadLength > budget) {
            return null;
        }
        frameLength = (int) entryFrameLength(payloadLength);
        if (ENTRY_HEADER_SIZE + payloadLength > length - at) {
            if (ENTRY_HEADER_SIZE + payloadLength > buffer.capacity()) {
                // Rare (an entry over the staging buffer): a copy of its own, as read() makes.
                return ByteBuffer.wrap(read(block, offset, end, expectedSequence, prefetch)).asReadOnlyBuffer();
            }
            fill(block, offset, Math.min(end - offset, Math.max(prefetch, frameLength)));
            at = 0;
        }
        if (!codec.verify(buffer, at, at + ENTRY_HEADER_SIZE, block.nonce)) {
            throw damaged(block, offset, expectedSequence, "checksum mismatch");
        }
        if (viewSource != buffer) {
            stagingView = buffer.asReadOnlyBuffer();
            viewSource = buffer;
        }
        return slice(stagingView, at + ENTRY_HEADER_SIZE, payloadLength);
    }

    /** After a visit: the view given out shows nothing, so one kept past its visit reads no later bytes. */
    void endView() {
        if (stagingView != null) {
            stagingView.limit(0);
        }
        if (mappedView != null) {
            mappedView.limit(0);
        }
    }

    /**
     * As {@link #read}, straight out of the file's mapping: verified there and copied once, into the
     * payload, where a staging buffer would take a copy of its own first (and, through
     * {@code MemorySegment.ofBuffer}, a segment object per fill that the JIT does not always remove).
     */
    private byte[] readMapped(Block block, ByteBuffer map, int offset, int end, long expectedSequence)
            throws IOException {
        ByteBuffer view = viewMapped(block, map, offset, end, expectedSequence, Long.MAX_VALUE);
        byte[] payload = new byte[view.remaining()];
        try {
            map.get(view.position(), payload); // the same bytes as the view, read under this read's pin
        } catch (InternalError fault) {
            throw faulted(block, offset, fault);
        }
        return payload;
    }

    private ByteBuffer viewMapped(Block block, ByteBuffer map, int offset, int end, long expectedSequence,
                                  long budget) throws IOException {
        try {
            if (!EntryCodec.plausibleHeader(map, offset, end - offset)
                    || EntryCodec.sequence(map, offset) != expectedSequence) {
                throw damaged(block, offset, expectedSequence, "header does not verify");
            }
            int payloadLength = EntryCodec.payloadLength(map, offset);
            if (payloadLength > budget) {
                return null;
            }
            frameLength = (int) entryFrameLength(payloadLength);
            if (!codec.verify(map, offset, offset + ENTRY_HEADER_SIZE, block.nonce)) {
                throw damaged(block, offset, expectedSequence, "checksum mismatch");
            }
            return slice(mappedView, offset + ENTRY_HEADER_SIZE, payloadLength);
        } catch (InternalError fault) {
            throw faulted(block, offset, fault);
        }
    }

    /** What the JVM makes of a SIGBUS: a mapped page with no file under it (the file was truncated). */
    private static DamagedEntryException faulted(Block block, int offset, InternalError fault) {
        return new DamagedEntryException(block, block + " faulted reading the entry at offset " + offset
                + " (the file was truncated?); the log must be reopened to cut it off: " + fault.getMessage());
    }

    /**
     * {@code block}'s bytes over its file's mapping, in the format's order, or null where the file has
     * none. The views are made once per block and kept: {@link #mappedBlock} is pinned whenever it is
     * read, which is what makes reading {@link #mapped}, bound to no session, safe.
     */
    private ByteBuffer mapping(Block block) {
        if (block != mappedBlock) {
            ByteBuffer pinned = block.file.io.pinnedView(block.fileOffset, block.capacity);
            mapped = pinned == null ? null : FormatDescriptor.order(pinned);
            // Big-endian, as ByteBuffer.wrap would be: what a visitor expects of a buffer it is given.
            mappedView = pinned == null ? null : block.file.io.mappedView(block.fileOffset, block.capacity);
            mappedBlock = block;
        }
        return mapped;
    }

    private static ByteBuffer slice(ByteBuffer view, int at, int length) {
        view.clear().position(at).limit(at + length);
        return view.order(ByteOrder.BIG_ENDIAN);
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

    /**
     * Brings the entry header at {@code offset} into the window (reading ahead up to {@code prefetch})
     * and checks it is a plausible header of entry {@code expectedSequence}; returns where it starts
     * in the buffer.
     */
    private int verifiedHeaderAt(Block block, int offset, int end, long expectedSequence, int prefetch)
            throws IOException {
        if (this.block != block || offset < start || offset + ENTRY_HEADER_SIZE > start + length) {
            fill(block, offset, Math.min(end - offset, Math.max(prefetch, ENTRY_HEADER_SIZE)));
        }
        int at = offset - start;
        if (!EntryCodec.plausibleHeader(buffer, at, end - offset)
                || EntryCodec.sequence(buffer, at) != expectedSequence) {
            throw damaged(block, offset, expectedSequence, "header does not verify");
        }
        return at;
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
