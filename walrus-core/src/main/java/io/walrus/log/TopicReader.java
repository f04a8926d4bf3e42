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
    /**
     * Where the cursor stands: a block by its number in the topic's chain (see {@link TopicChain}),
     * a byte offset in it, and the next sequence.
     */
    record Position(long blockNumber, int offset, long nextSequence) {
    }

    /** How far ahead of a single read the window fetches: enough for a few typical entries. */
    private static final int READ_AHEAD_SINGLE = 4096;

    private final Topic topic;
    private final LogResources resources;
    private final CursorStore cursors;
    private final ReentrantLock lock = new ReentrantLock();
    private final EntryCodec codec = new EntryCodec();

    private long blockNumber;
    private int offset;
    private long nextSequence;
    private int unsavedCheckpoints;
    /** The next sequence as last persisted (or as found at open): what a crash would resume from. */
    private volatile long savedSequence;
    /** Whether this cursor has ever been checkpointed (a cursor file at open, or a checkpoint since). */
    private volatile boolean checkpointed;
    /** The file pinned for the read in progress (see {@link LogFile#tryPin()}), or null. */
    private LogFile pinned;

    TopicReader(Topic topic, Position position, LogResources resources, CursorStore cursors, boolean checkpointed) {
        this.topic = topic;
        this.resources = resources;
        this.cursors = cursors;
        this.savedSequence = position.nextSequence();
        this.checkpointed = checkpointed;
        this.blockNumber = position.blockNumber();
        this.offset = position.offset();
        this.nextSequence = position.nextSequence();
    }

    byte[] readNext(boolean checkpoint) throws IOException {
        lock.lock();
        ByteBuffer buffer = null;
        try {
            resources.checkOpen();
            Block block = pinReadable(true);
            if (block == null) {
                return null;
            }
            buffer = resources.buffers.take();
            EntryWindow window = new EntryWindow(buffer, codec);
            byte[] payload = window.read(block, offset, block.committedEnd(), nextSequence, READ_AHEAD_SINGLE);
            if (checkpoint) {
                long fromBlock = blockNumber;
                int fromOffset = offset;
                offset += window.frameLength;
                nextSequence++;
                checkpoint(1, fromBlock, fromOffset, nextSequence - 1);
            }
            return payload;
        } catch (EntryWindow.DamagedEntryException e) {
            noticeDamage(e);
            throw e;
        } finally {
            unpin();
            if (buffer != null) {
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    List<byte[]> batchRead(long maxBytes, int maxEntries, boolean checkpoint) throws IOException {
        lock.lock();
        ByteBuffer buffer = null;
        long fromBlock = blockNumber;
        int fromOffset = offset;
        long fromSequence = nextSequence;
        try {
            resources.checkOpen();
            List<byte[]> entries = new ArrayList<>();
            EntryWindow window = null;
            long bytes = 0;
            Block block;
            // Once a batch has an entry it never jumps: a cursor moved on by deletion ends the batch there.
            while (entries.size() < maxEntries && (block = pinReadable(entries.isEmpty())) != null) {
                if (entries.isEmpty()) {
                    // The first readable entry may lie after blocks deleted under a cursor that does not count.
                    fromBlock = blockNumber;
                    fromOffset = offset;
                    fromSequence = nextSequence;
                }
                if (window == null) {
                    buffer = resources.buffers.take();
                    window = new EntryWindow(buffer, codec);
                }
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
            if (e instanceof EntryWindow.DamagedEntryException damaged) {
                noticeDamage(damaged);
            }
            throw e;
        } finally {
            unpin();
            if (buffer != null) {
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    /**
     * Damage in a block that open took from its seal record without reading it: from now on no record
     * is trusted, so the next open reads every block and cuts the topic there (docs/RELIABILITY.md).
     */
    private void noticeDamage(EntryWindow.DamagedEntryException e) {
        if (e.block.trusted) {
            resources.seals.distrust(e.block);
        }
    }

    private void restore(long block, int at, long sequence) {
        blockNumber = block;
        offset = at;
        nextSequence = sequence;
    }

    /**
     * The block holding the entry at the cursor, with its file pinned for the read, or null when no
     * entry is readable there. A file that cannot be pinned is being deleted: its blocks have already
     * left the chain, so looking again finds the cursor's block gone and moves on.
     */
    private Block pinReadable(boolean mayJump) {
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
        }
    }

    private void unpin() {
        if (pinned != null) {
            pinned.unpin();
            pinned = null;
        }
    }

    /**
     * Moves the cursor past the ends of sealed blocks, and past blocks deleted under it. Returns the
     * block in which an entry is readable at the cursor, or null. The block's end is read again after
     * seeing it sealed: the seal is published after the final end.
     *
     * <p>A cursor stands in a deleted block only if every consumer that counts had checkpointed past
     * it: a consumer that counts stands at or after the block's end, and resumes at the next block's
     * first entry, which is the same sequence; a default consumer that never checkpointed the topic
     * (and so does not count, see {@code FileReclaimer}) resumes at the earliest entry retained.
     */
    private Block advanceToReadable(boolean mayJump) {
        while (true) {
            TopicChain chain = topic.snapshot();
            if (blockNumber < chain.firstNumber()) {
                if (!mayJump && nextSequence < chain.floorSequence()) {
                    return null;
                }
                blockNumber = chain.firstNumber();
                offset = 0;
                nextSequence = Math.max(nextSequence, chain.floorSequence());
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

    /**
     * Counts {@code count} checkpoints and saves the cursor when due. If the save fails the cursor goes
     * back to where it was before them (the entries are not handed out), so a failed save loses nothing.
     */
    private void checkpoint(int count, long fromBlock, int fromOffset, long fromSequence) throws IOException {
        checkpointed = true;
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
        Block block = topic.snapshot().block(blockNumber);
        long blockSeq = block != null ? block.blockSeq : -1;
        cursors.save(topic.name, new Cursor(nextSequence, blockSeq, offset));
        unsavedCheckpoints = 0;
        savedSequence = nextSequence;
    }

    /** Whether an entry is committed at the cursor; for waiting reads. */
    boolean hasReadable() {
        lock.lock();
        try {
            return advanceToReadable(true) != null;
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

    /** Whether this cursor was ever checkpointed: the default consumer counts for deletion only then. */
    boolean checkpointed() {
        return checkpointed;
    }

    /** The sequence of the next entry a checkpointing read hands out, for stats(). */
    long position() {
        lock.lock();
        try {
            return Math.max(nextSequence, topic.snapshot().floorSequence());
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
