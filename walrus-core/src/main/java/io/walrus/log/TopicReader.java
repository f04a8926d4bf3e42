package io.walrus.log;

import io.walrus.EntryVisitor;
import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.EntryCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Follows one consumer's cursor on a topic (the default consumer's, or a named one's): hands out committed entries in order, moves the cursor on checkpoint
 * and persists it as the consistency mode says (when: {@link CursorSaves}). Where the cursor stands,
 * and how it moves along the chain, is a {@link ChainPosition}.
 */
final class TopicReader {
    /**
     * Where the cursor stands: a block by its number in the topic's chain (see {@link TopicChain}),
     * a byte offset in it, and the next sequence.
     */
    record Position(long blockNumber, int offset, long nextSequence) {
    }

    private final Topic topic;
    private final LogResources resources;
    private final ReentrantLock lock = new ReentrantLock();
    private final EntryCodec codec = new EntryCodec();
    /** Reused by every read under {@link #lock}, over the buffer that read took from the pool. */
    private final EntryWindow window = new EntryWindow(null, codec);

    /** Where the cursor stands; moved only under {@link #lock}. */
    private final ChainPosition at;
    /** When the cursor is made durable; used under {@link #lock}. */
    private final CursorSaves saves;
    /** Where the cursor stands, as a cursor to save: made once, not per checkpoint. */
    private final Supplier<Cursor> here = this::cursorHere;
    /** Whether this cursor has ever been checkpointed (a cursor file at open, or a checkpoint since). */
    private volatile boolean checkpointed;

    TopicReader(Topic topic, Position position, LogResources resources, CursorStore cursors, boolean checkpointed) {
        this.topic = topic;
        this.resources = resources;
        this.saves = new CursorSaves(topic.name, cursors, resources.persistEvery, resources.saveAhead, resources.logger,
                position.nextSequence());
        this.checkpointed = checkpointed;
        this.at = new ChainPosition(topic, resources, position.blockNumber(), position.offset(),
                position.nextSequence());
    }

    byte[] readNext(boolean checkpoint) throws IOException {
        lock.lock();
        ByteBuffer buffer = null;
        try {
            resources.checkOpen();
            Block block = at.pinReadable(true);
            if (block == null) {
                return null;
            }
            buffer = resources.buffers.take();
            window.over(buffer);
            byte[] payload = window.read(block, at.offset, block.committedEnd(), at.sequence,
                    ChainPosition.READ_AHEAD_SINGLE);
            if (checkpoint) {
                long fromBlock = at.blockNumber;
                int fromOffset = at.offset;
                at.step(window.frameLength);
                checkpoint(1, fromBlock, fromOffset, at.sequence - 1);
            }
            return payload;
        } catch (EntryWindow.DamagedEntryException e) {
            noticeDamage(resources, e);
            throw e;
        } finally {
            at.unpin();
            if (buffer != null) {
                window.over(null); // the buffer goes back to the pool: this window must not read it again
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    List<byte[]> batchRead(long maxBytes, int maxEntries, boolean checkpoint) throws IOException {
        lock.lock();
        ByteBuffer buffer = null;
        long fromBlock = at.blockNumber;
        int fromOffset = at.offset;
        long fromSequence = at.sequence;
        try {
            resources.checkOpen();
            Block first = at.pinReadable(true);
            if (first == null) {
                restore(fromBlock, fromOffset, fromSequence);
                return new ArrayList<>();
            }
            // The first readable entry may lie after blocks deleted under a cursor that does not count.
            fromBlock = at.blockNumber;
            fromOffset = at.offset;
            fromSequence = at.sequence;
            buffer = resources.buffers.take();
            List<byte[]> entries = at.readBatch(first, window.over(buffer), maxBytes, maxEntries);
            if (checkpoint) {
                checkpoint(entries.size(), fromBlock, fromOffset, fromSequence);
            } else {
                restore(fromBlock, fromOffset, fromSequence);
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            restore(fromBlock, fromOffset, fromSequence);
            if (e instanceof EntryWindow.DamagedEntryException damaged) {
                noticeDamage(resources, damaged);
            }
            throw e;
        } finally {
            at.unpin();
            if (buffer != null) {
                window.over(null); // the buffer goes back to the pool: this window must not read it again
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    /**
     * As {@link #batchRead}, handing each entry to {@code visitor} in place (see
     * {@link ChainPosition#visitBatch}); returns how many were visited. Whatever ends the batch early
     * (the visitor throwing, damage, an I/O error), a checkpointing read moves the cursor past exactly
     * the entries whose visits returned, counted and persisted as any checkpoint, and rethrows.
     *
     * @throws IllegalStateException if called from a visit of this same reader (its cursor is in use)
     */
    int visitBatch(long maxBytes, int maxEntries, boolean checkpoint, EntryVisitor visitor) throws IOException {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a visitor must not read topic '" + topic.name
                    + "' through the consumer whose batch it is visiting");
        }
        lock.lock();
        ByteBuffer buffer = null;
        long fromBlock = at.blockNumber;
        int fromOffset = at.offset;
        long fromSequence = at.sequence;
        try {
            resources.checkOpen();
            Block first = at.pinReadable(true);
            if (first == null) {
                restore(fromBlock, fromOffset, fromSequence);
                return 0;
            }
            fromBlock = at.blockNumber;
            fromOffset = at.offset;
            fromSequence = at.sequence;
            buffer = resources.buffers.take();
            int visited = at.visitBatch(first, window.over(buffer), maxBytes, maxEntries, visitor);
            if (checkpoint) {
                checkpoint(visited, fromBlock, fromOffset, fromSequence);
            } else {
                restore(fromBlock, fromOffset, fromSequence);
            }
            return visited;
        } catch (Throwable e) {
            // 'at' stands at the entry the batch stopped at: after the last visit that returned.
            int visited = (int) (at.sequence - fromSequence);
            if (checkpoint && visited > 0) {
                try {
                    checkpoint(visited, fromBlock, fromOffset, fromSequence); // on failure it restores
                } catch (IOException saveFailed) {
                    e.addSuppressed(saveFailed);
                }
            } else {
                restore(fromBlock, fromOffset, fromSequence);
            }
            if (e instanceof EntryWindow.DamagedEntryException damaged) {
                noticeDamage(resources, damaged);
            }
            throw e;
        } finally {
            at.unpin();
            if (buffer != null) {
                window.over(null);
                resources.buffers.give(buffer);
            }
            lock.unlock();
        }
    }

    /**
     * Damage, found by any reader, in a block that open took from its seal record without reading it:
     * from now on no record is trusted, so the next open reads every block and cuts the topic there
     * (docs/RELIABILITY.md).
     */
    static void noticeDamage(LogResources resources, EntryWindow.DamagedEntryException e) {
        if (e.block.trusted) {
            resources.seals.distrust(e.block);
        }
    }

    private void restore(long block, int offset, long sequence) {
        at.moveTo(block, offset, sequence);
    }

    /**
     * Counts {@code count} checkpoints and makes the cursor durable when due. If a save due now fails,
     * the cursor goes back to where it was before them (the entries are not handed out), so a failed
     * save loses nothing.
     */
    private void checkpoint(int count, long fromBlock, int fromOffset, long fromSequence) throws IOException {
        checkpointed = true;
        try {
            saves.checkpoint(count, here);
        } catch (IOException e) {
            restore(fromBlock, fromOffset, fromSequence);
            throw e;
        }
    }

    private Cursor cursorHere() {
        Block block = topic.snapshot().block(at.blockNumber);
        long blockSeq = block != null ? block.blockSeq : -1;
        return new Cursor(at.sequence, blockSeq, at.offset);
    }

    /** Waits for a background save of the cursor in flight: before the cursor files are closed or deleted. */
    void awaitSave() {
        lock.lock();
        try {
            saves.awaitSave();
        } finally {
            lock.unlock();
        }
    }

    /** Whether an entry is committed at the cursor; for waiting reads. */
    boolean hasReadable() {
        lock.lock();
        try {
            return at.readable();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sequence a crash would resume this cursor from: every entry before it was checkpointed
     * durably, so deletion may reclaim them as far as this consumer is concerned.
     */
    long savedSequence() {
        return saves.savedSequence();
    }

    /** Whether this cursor was ever checkpointed: the default consumer counts for deletion only then. */
    boolean checkpointed() {
        return checkpointed;
    }

    /** The sequence of the next entry a checkpointing read hands out, for stats(). */
    long position() {
        lock.lock();
        try {
            return Math.max(at.sequence, topic.snapshot().floorSequence());
        } finally {
            lock.unlock();
        }
    }

    /** On close: persist a cursor that moved since its last save. */
    void saveIfMoved() throws IOException {
        lock.lock();
        try {
            saves.saveIfMoved(here);
        } finally {
            lock.unlock();
        }
    }
}
