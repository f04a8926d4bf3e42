package io.walrus.log;

import io.walrus.EntryVisitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader's place in a topic's chain of blocks: a block by its number (see {@link TopicChain}), a
 * byte offset in it and the sequence of the entry there, with the file pinned for the read in
 * progress. It moves over the ends of sealed blocks and over blocks deleted under it, and reads
 * entries from there through an {@link EntryWindow}. Not thread-safe: a consumer's
 * {@link TopicReader} keeps one under its lock; a read by sequence ({@link SequenceReads}) owns one
 * for the call.
 */
final class ChainPosition {
    /** How far ahead of a single read the window fetches: enough for a few typical entries. */
    static final int READ_AHEAD_SINGLE = 4096;

    private final Topic topic;
    private final LogResources resources;
    // Read and set by the owner too (a cursor is restored, a read by sequence starts at a known place).
    long blockNumber;
    int offset;
    long sequence;
    /** The file pinned for the read in progress (see {@link LogFile#tryPin()}), or null. */
    private LogFile pinned;

    ChainPosition(Topic topic, LogResources resources, long blockNumber, int offset, long sequence) {
        this.topic = topic;
        this.resources = resources;
        moveTo(blockNumber, offset, sequence);
    }

    void moveTo(long block, int at, long next) {
        blockNumber = block;
        offset = at;
        sequence = next;
    }

    /** After reading the entry at this position, {@code frameLength} bytes long: the place of the next one. */
    void step(int frameLength) {
        offset += frameLength;
        sequence++;
    }

    /**
     * The block holding the entry at this position, with its file pinned for the read, or null when
     * no entry is readable here. A file that cannot be pinned is being deleted (its blocks have
     * already left the chain, so looking again finds the block gone and moves on), or the instance
     * is closing, which ends the read with IllegalStateException.
     */
    Block pinReadable(boolean mayJump) {
        while (true) {
            Block block = advanceToReadable(mayJump);
            if (block == null) {
                return null;
            }
            if (block.file == pinned) {
                return block;
            }
            unpin();
            if (block.file.tryPin()) {
                pinned = block.file;
                return block;
            }
            resources.checkOpen(); // close retires files still in their chains: looking again would spin
        }
    }

    void unpin() {
        if (pinned != null) {
            pinned.unpin();
            pinned = null;
        }
    }

    /** Whether an entry is committed at this position (moving over block ends and deleted blocks). */
    boolean readable() {
        return advanceToReadable(true) != null;
    }

    /**
     * Reads entries from here in commit order, moving past each, starting in {@code first} (pinned
     * by {@link #pinReadable}), until their payload bytes would exceed {@code maxBytes} or
     * {@code maxEntries} are read; always the entry at the start. It never jumps: a block deleted
     * under it ends the batch there (at the end of what was committed in it when the batch reached
     * it: its file is pinned, so those bytes stay readable).
     */
    List<byte[]> readBatch(Block first, EntryWindow window, long maxBytes, int maxEntries) throws IOException {
        List<byte[]> entries = new ArrayList<>();
        long bytes = 0;
        for (Block block = first; block != null; block = pinReadable(false)) {
            // The block is pinned: up to the end committed now, nothing in the chain can change what
            // is read from it, so the chain is consulted once per block, not once per entry.
            for (int end = block.committedEnd(); offset < end; ) {
                long budget = maxBytes - bytes;
                int capacity = window.capacity();
                int prefetch = budget >= capacity ? capacity : (int) budget + READ_AHEAD_SINGLE;
                byte[] payload = window.read(block, offset, end, sequence, prefetch);
                if (!entries.isEmpty() && bytes + payload.length > maxBytes) {
                    return entries;
                }
                entries.add(payload);
                bytes += payload.length;
                step(window.frameLength);
                if (entries.size() >= maxEntries) {
                    return entries;
                }
            }
        }
        return entries;
    }

    /**
     * As {@link #readBatch}, handing each entry to {@code visitor} as a view (see
     * {@link EntryWindow#view}) instead of copying it, and moving past each only once its visit
     * returned: if a visit throws, this position stays at that entry. Returns how many were visited.
     */
    int visitBatch(Block first, EntryWindow window, long maxBytes, int maxEntries, EntryVisitor visitor)
            throws IOException {
        int visited = 0;
        long bytes = 0;
        try {
            for (Block block = first; block != null; block = pinReadable(false)) {
                for (int end = block.committedEnd(); offset < end; ) { // the chain once per block, as readBatch
                    long budget = maxBytes - bytes;
                    int capacity = window.capacity();
                    int prefetch = budget >= capacity ? capacity : (int) budget + READ_AHEAD_SINGLE;
                    ByteBuffer payload = window.view(block, offset, end, sequence, prefetch,
                            visited == 0 ? Long.MAX_VALUE : budget);
                    if (payload == null) {
                        return visited;
                    }
                    bytes += payload.remaining();
                    visitor.visit(sequence, payload);
                    step(window.frameLength);
                    if (++visited >= maxEntries) {
                        return visited;
                    }
                }
            }
        } finally {
            window.endView();
        }
        return visited;
    }

    /**
     * Moves past the ends of sealed blocks, and past blocks deleted under this position. Returns the
     * block in which an entry is readable here, or null. The block's end is read again after seeing
     * it sealed: the seal is published after the final end.
     *
     * <p>A cursor stands in a deleted block only if every consumer that counts had checkpointed past
     * it: a consumer that counts stands at or after the block's end, and resumes at the next block's
     * first entry, which is the same sequence; a default consumer that never checkpointed the topic
     * (and so does not count, see {@code FileReclaimer}) resumes at the earliest entry retained, and
     * so does a read by sequence that asked for an entry deletion took.
     */
    private Block advanceToReadable(boolean mayJump) {
        while (true) {
            TopicChain chain = topic.snapshot();
            if (blockNumber < chain.firstNumber()) {
                if (!mayJump && sequence < chain.floorSequence()) {
                    return null;
                }
                blockNumber = chain.firstNumber();
                offset = 0;
                sequence = Math.max(sequence, chain.floorSequence());
            }
            Block block = chain.block(blockNumber);
            if (block == null) {
                return null; // the next block is not there yet
            }
            if (offset < block.headerLength) {
                offset = block.headerLength; // a reader may stand before its block's first entry
            }
            if (offset < block.committedEnd()) {
                return block;
            }
            if (!block.sealed() || offset < block.committedEnd()) {
                return offset < block.committedEnd() ? block : null;
            }
            // Sealed and read to its end: the entry after it starts the next block (which, when the
            // writer has not taken it yet, gets this number and starts at this sequence).
            blockNumber++;
            offset = 0;
        }
    }
}
