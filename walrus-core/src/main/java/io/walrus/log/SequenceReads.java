package io.walrus.log;

import io.walrus.format.EntryCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a topic from any entry, by its sequence, for callers that keep their read positions
 * themselves (a replicated node's followers): no cursor moves and nothing is persisted. The reads
 * are those of a consumer's cursor ({@link ChainPosition}, {@link EntryWindow}): committed entries
 * only, so a batch is seen whole or not at all, each verified, with the file pinned so that a file
 * deleted meanwhile stays readable.
 *
 * <p>Where an entry starts is known only by walking entry headers from its block's start (the
 * block is found by its base sequence, without I/O). Such callers read on from where their last read
 * ended, so every read leaves its end in the topic's {@link KnownPositions}, and the next one starts
 * there without walking. Thread-safe: a read takes its position, window and buffer for the call.
 */
final class SequenceReads {
    private final LogResources resources;
    /** Reads that had to walk entry headers to find their start; for tests. */
    private final AtomicLong walks = new AtomicLong();

    SequenceReads(LogResources resources) {
        this.resources = resources;
    }

    /**
     * Entries of {@code topic} from entry {@code fromSequence} in commit order, until their payload
     * bytes would exceed {@code maxBytes} or {@code maxEntries} are read; always the first one. From
     * the earliest retained entry when deletion took {@code fromSequence}; empty when no entry is
     * committed there yet.
     */
    List<byte[]> read(Topic topic, long fromSequence, long maxBytes, int maxEntries) throws IOException {
        TopicChain chain = topic.snapshot();
        Block[] blocks = chain.blocks();
        if (blocks.length == 0) {
            return List.of();
        }
        long end = blocks[blocks.length - 1].committedNextSequence();
        if (fromSequence >= end) {
            if (fromSequence == end) {
                topic.positions.renew(fromSequence); // a caller polling the end keeps its place
            }
            return List.of(); // no I/O, no allocation
        }
        ChainPosition at = new ChainPosition(topic, resources, chain.firstNumber(), 0, chain.floorSequence());
        ByteBuffer buffer = resources.buffers.take();
        try {
            EntryWindow window = new EntryWindow(buffer, new EntryCodec());
            Block first = start(topic, chain, fromSequence, at, window);
            if (first == null) {
                return List.of();
            }
            List<byte[]> entries = at.readBatch(first, window, maxBytes, maxEntries);
            topic.positions.remember(at.sequence, at.blockNumber, at.offset);
            return entries;
        } catch (EntryWindow.DamagedEntryException e) {
            TopicReader.noticeDamage(resources, e);
            throw e;
        } finally {
            at.unpin();
            resources.buffers.give(buffer);
        }
    }

    /**
     * Moves {@code at} (standing at the earliest retained entry) to entry {@code wanted}, and returns
     * its block, pinned; null when it is not committed yet. A known position is taken as it is;
     * otherwise the walk starts at the nearest known position in the entry's block, or at its start.
     */
    private Block start(Topic topic, TopicChain chain, long wanted, ChainPosition at, EntryWindow window)
            throws IOException {
        KnownPositions known = topic.positions;
        if (wanted <= at.sequence) {
            return at.pinReadable(true); // taken by deletion, or the first entry: no walk
        }
        if (known.find(wanted, at)) {
            Block block = at.pinReadable(true);
            if (block == null) {
                known.renew(wanted); // a poll at the end, of a batch in progress: keep its place
            }
            return block;
        }
        Block[] blocks = chain.blocks();
        int index = blockHolding(blocks, wanted);
        long number = chain.firstNumber() + index;
        if (!known.findBefore(wanted, number, at)) {
            at.moveTo(number, 0, blocks[index].baseSequence);
        }
        walks.incrementAndGet();
        Block block = walk(at, wanted, window);
        if (block != null) {
            known.remember(at.sequence, at.blockNumber, at.offset);
        }
        return block;
    }

    /**
     * Steps over entry headers from {@code at} to entry {@code wanted} (to the earliest retained
     * entry, if deletion overtakes the walk); returns the block it stands in, pinned, or null when
     * the walk reaches the committed end first.
     */
    private static Block walk(ChainPosition at, long wanted, EntryWindow window) throws IOException {
        Block block = at.pinReadable(true);
        while (block != null && at.sequence < wanted) {
            at.step(window.skip(block, at.offset, block.committedEnd(), at.sequence));
            block = at.pinReadable(true);
        }
        return block;
    }

    /** The index of the last block that starts at or before {@code sequence}: the one holding it. */
    private static int blockHolding(Block[] blocks, long sequence) {
        int low = 0;
        int high = blocks.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (blocks[middle].baseSequence <= sequence) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** How many reads walked entry headers to find their start; for tests. */
    long walks() {
        return walks.get();
    }
}
