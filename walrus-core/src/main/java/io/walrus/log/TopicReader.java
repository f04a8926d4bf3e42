package io.walrus.log;

import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.EntryCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Follows one consumer's cursor on a topic (the default consumer's, or a named one's): hands out committed entries in order, moves the cursor on checkpoint
 * and persists it as the consistency mode says (every {@code persistEvery} checkpoints, and always
 * before the read that reached that count returns).
 */
final class TopicReader {
    /** Where the cursor stands: a block of the chain (by index), a byte offset in it, the next sequence. */
    record Position(int blockIndex, int offset, long nextSequence) {
    }

    /** How far ahead of a single read the window fetches: enough for a few typical entries. */
    private static final int READ_AHEAD_SINGLE = 4096;

    private final Topic topic;
    private final LogResources resources;
    private final CursorStore cursors;
    private final ReentrantLock lock = new ReentrantLock();
    private final EntryCodec codec = new EntryCodec();

    private int blockIndex;
    private int offset;
    private long nextSequence;
    private int unsavedCheckpoints;
    /** The next sequence as last persisted (or as found at open): what a crash would resume from. */
    private volatile long savedSequence;

    TopicReader(Topic topic, Position position, LogResources resources) {
        this(topic, position, resources, resources.cursors);
    }

    TopicReader(Topic topic, Position position, LogResources resources, CursorStore cursors) {
        this.topic = topic;
        this.resources = resources;
        this.cursors = cursors;
        this.savedSequence = position.nextSequence();
        this.blockIndex = position.blockIndex();
        this.offset = position.offset();
        this.nextSequence = position.nextSequence();
    }

    byte[] readNext(boolean checkpoint) throws IOException {
        lock.lock();
        ByteBuffer buffer = null;
        try {
            resources.checkOpen();
            if (!advanceToReadable()) {
                return null;
            }
            buffer = resources.buffers.take();
            EntryWindow window = new EntryWindow(buffer, codec);
            Block block = topic.chain()[blockIndex];
            byte[] payload = window.read(block, offset, block.committedEnd(), nextSequence, READ_AHEAD_SINGLE);
            if (checkpoint) {
                int fromOffset = offset;
                offset += window.frameLength;
                nextSequence++;
                checkpoint(1, blockIndex, fromOffset, nextSequence - 1);
            }
            return payload;
        } finally {
            if (buffer != null) {
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    List<byte[]> batchRead(long maxBytes, int maxEntries, boolean checkpoint) throws IOException {
        lock.lock();
        ByteBuffer buffer = null;
        int fromBlock = blockIndex;
        int fromOffset = offset;
        long fromSequence = nextSequence;
        try {
            resources.checkOpen();
            List<byte[]> entries = new ArrayList<>();
            EntryWindow window = null;
            long bytes = 0;
            while (entries.size() < maxEntries && advanceToReadable()) {
                if (window == null) {
                    buffer = resources.buffers.take();
                    window = new EntryWindow(buffer, codec);
                }
                Block block = topic.chain()[blockIndex];
                long budget = maxBytes - bytes;
                int prefetch = budget >= buffer.capacity() ? buffer.capacity() : (int) budget + READ_AHEAD_SINGLE;
                byte[] payload = window.read(block, offset, block.committedEnd(), nextSequence, prefetch);
                if (!entries.isEmpty() && bytes + payload.length > maxBytes) {
                    break;
                }
                entries.add(payload);
                bytes += payload.length;
                offset += window.frameLength;
                nextSequence++;
            }
            if (!checkpoint || entries.isEmpty()) {
                restore(fromBlock, fromOffset, fromSequence);
            } else {
                checkpoint(entries.size(), fromBlock, fromOffset, fromSequence);
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            restore(fromBlock, fromOffset, fromSequence);
            throw e;
        } finally {
            if (buffer != null) {
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    private void restore(int block, int at, long sequence) {
        blockIndex = block;
        offset = at;
        nextSequence = sequence;
    }

    /**
     * Moves the cursor past the ends of sealed blocks. Returns whether an entry is readable at it.
     * The block's end is read again after seeing it sealed: the seal is published after the final end.
     */
    private boolean advanceToReadable() {
        Block[] chain = topic.chain();
        while (blockIndex < chain.length) {
            Block block = chain[blockIndex];
            if (offset < block.headerLength) {
                offset = block.headerLength; // a topic's reader is created before its first block
            }
            if (offset < block.committedEnd()) {
                return true;
            }
            if (!block.sealed() || offset < block.committedEnd()) {
                return offset < block.committedEnd();
            }
            chain = topic.chain();
            if (blockIndex + 1 >= chain.length) {
                return false;
            }
            blockIndex++;
            offset = chain[blockIndex].headerLength;
        }
        return false;
    }

    /**
     * Counts {@code count} checkpoints and saves the cursor when due. If the save fails the cursor goes
     * back to where it was before them (the entries are not handed out), so a failed save loses nothing.
     */
    private void checkpoint(int count, int fromBlock, int fromOffset, long fromSequence) throws IOException {
        unsavedCheckpoints += count;
        if (unsavedCheckpoints < resources.persistEvery) {
            return;
        }
        try {
            save();
        } catch (IOException e) {
            restore(fromBlock, fromOffset, fromSequence);
            unsavedCheckpoints -= count;
            throw e;
        }
    }

    private void save() throws IOException {
        Block[] chain = topic.chain();
        long blockSeq = blockIndex < chain.length ? chain[blockIndex].blockSeq : -1;
        cursors.save(topic.name, new Cursor(nextSequence, blockSeq, offset));
        unsavedCheckpoints = 0;
        savedSequence = nextSequence;
    }

    /** Whether an entry is committed at the cursor; for waiting reads. */
    boolean hasReadable() {
        lock.lock();
        try {
            return advanceToReadable();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sequence a crash would resume this cursor from: every entry before it was checkpointed
     * durably, so deletion may reclaim them as far as this consumer is concerned.
     */
    long savedSequence() {
        return savedSequence;
    }

    /** The sequence of the next entry a checkpointing read hands out, for stats(). */
    long position() {
        lock.lock();
        try {
            return nextSequence;
        } finally {
            lock.unlock();
        }
    }

    /** On close: persist a cursor that moved since its last save. */
    void saveIfMoved() throws IOException {
        lock.lock();
        try {
            if (unsavedCheckpoints > 0) {
                save();
            }
        } finally {
            lock.unlock();
        }
    }
}
