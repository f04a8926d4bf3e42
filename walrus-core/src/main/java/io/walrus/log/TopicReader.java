package io.walrus.log;

import io.walrus.EntryVisitor;
import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.EntryCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Follows one consumer's cursor on a topic (the default consumer's, or a named one's): hands out committed entries in order, moves the cursor on checkpoint
 * and persists it as the consistency mode says: no read returns while {@code persistEvery} or more
 * checkpoints are not yet durable. Under {@code atLeastOnce(n)}, a reader slower than the disk (the
 * last save took less than the reader's pace says the rest of the n will) has its save started in
 * the background once half of that is reached, so it does not wait for the fdatasync; a reader that
 * outruns the disk saves in its own thread at n, one fdatasync per n checkpoints
 * ({@link CursorSaveAhead} can fix either way). Where the cursor stands, and how it moves along the
 * chain, is a {@link ChainPosition}.
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
    private final CursorStore cursors;
    private final ReentrantLock lock = new ReentrantLock();
    private final EntryCodec codec = new EntryCodec();
    /** Reused by every read under {@link #lock}, over the buffer that read took from the pool. */
    private final EntryWindow window = new EntryWindow(null, codec);

    /** Where the cursor stands; moved only under {@link #lock}. */
    private final ChainPosition at;
    /** Checkpoints not yet durable: since the last save that completed. Under {@link #lock}. */
    private int unsavedCheckpoints;
    /** The background save in flight (see {@link #checkpoint}), or null: one at a time. Under {@link #lock}. */
    private FutureTask<Long> saving;
    /** How many of {@link #unsavedCheckpoints} {@link #saving} makes durable, and when it started. */
    private int savingCovers;
    private long savingStartedAt;
    // Pacing the background saves (under lock): how long the last save took (unknown at first: the
    // first round saves in the reader's thread, which measures it), when the checkpoints counted in
    // unsavedCheckpoints began, and whether this round's choice is made.
    private long lastSaveNanos = Long.MAX_VALUE;
    private long unsavedSince = System.nanoTime();
    private boolean paced;
    /** The next sequence as last persisted (or as found at open): what a crash would resume from. */
    private volatile long savedSequence;
    /** Whether this cursor has ever been checkpointed (a cursor file at open, or a checkpoint since). */
    private volatile boolean checkpointed;

    TopicReader(Topic topic, Position position, LogResources resources, CursorStore cursors, boolean checkpointed) {
        this.topic = topic;
        this.resources = resources;
        this.cursors = cursors;
        this.savedSequence = position.nextSequence();
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
     * Counts {@code count} checkpoints and makes the cursor durable when due: before this read returns
     * if {@code persistEvery} checkpoints are not yet durable (if that save fails the cursor goes back to
     * where it was before them and the entries are not handed out, so a failed save loses nothing);
     * under atLeastOnce(n), in the background once half of them are, when the save is likely to land
     * before the reader reaches n (see {@link #saveAheadPays}).
     */
    private void checkpoint(int count, long fromBlock, int fromOffset, long fromSequence) throws IOException {
        checkpointed = true;
        unsavedCheckpoints += count;
        int persistEvery = resources.persistEvery;
        collectSave(false);
        if (unsavedCheckpoints >= persistEvery) {
            boolean late = collectSave(true); // the save in flight may make enough of them durable
            if (unsavedCheckpoints >= persistEvery) {
                try {
                    save();
                } catch (IOException e) {
                    restore(fromBlock, fromOffset, fromSequence);
                    unsavedCheckpoints -= count;
                    throw e;
                }
                return;
            }
            if (late && resources.saveAhead == CursorSaveAhead.PACED) {
                // It landed after the reader got here: saving ahead does not pay now, and the pace since
                // it began includes the wait. This round is saved in the reader's thread, at n.
                paced = true;
                return;
            }
        }
        if (!paced && saving == null && persistEvery > 1 && unsavedCheckpoints >= (persistEvery + 1) / 2) {
            paced = true;
            long now = System.nanoTime();
            boolean ahead = switch (resources.saveAhead) {
                case PACED -> saveAheadPays(now, persistEvery);
                case ALWAYS -> true;
                case NEVER -> false;
            };
            if (ahead) {
                saveInBackground(now);
            }
        }
    }

    /**
     * Whether a save started now would land well before the reader, at its pace since the checkpoints
     * not yet durable began, reaches persistEvery of them: in half the time the reader needs, so a
     * save a little slower than the last does not make it wait. A save that lands late costs more than
     * the synchronous one (the reader waits for it anyway, and it covered only half the round, so
     * another follows sooner): a reader that keeps up with the disk is best served by the plain save.
     */
    private boolean saveAheadPays(long now, int persistEvery) {
        double nanosPerCheckpoint = (double) (now - unsavedSince) / unsavedCheckpoints;
        return 2.0 * lastSaveNanos < nanosPerCheckpoint * (persistEvery - unsavedCheckpoints);
    }

    private void save() throws IOException {
        long started = System.nanoTime();
        cursors.save(topic.name, cursorHere());
        long ended = System.nanoTime();
        unsavedCheckpoints = 0;
        savedSequence = at.sequence;
        lastSaveNanos = ended - started;
        unsavedSince = ended;
        paced = false;
    }

    private Cursor cursorHere() {
        Block block = topic.snapshot().block(at.blockNumber);
        long blockSeq = block != null ? block.blockSeq : -1;
        return new Cursor(at.sequence, blockSeq, at.offset);
    }

    /**
     * Starts saving the cursor where it stands, on a virtual thread: once every persistEvery / 2
     * checkpoints at most, so the thread is no cost per entry. Deletion sees the new position only once
     * it is durable ({@link #savedSequence} is set after the fdatasync). The task returns how long the
     * save took, for {@link #saveAheadPays}.
     */
    private void saveInBackground(long now) {
        Cursor cursor = cursorHere();
        FutureTask<Long> task = new FutureTask<>(() -> {
            long started = System.nanoTime();
            cursors.save(topic.name, cursor);
            savedSequence = cursor.nextSequence();
            return System.nanoTime() - started;
        });
        saving = task;
        savingCovers = unsavedCheckpoints;
        savingStartedAt = now;
        Thread.ofVirtual().name("walrus-cursor-save").start(task);
    }

    /**
     * Takes the result of the background save in flight, if it finished (or, with {@code wait}, once it
     * has, ignoring interrupts, which are kept for the caller): the checkpoints it covered are durable,
     * and those after it count from when it started. Returns whether it had to wait for it. A save that failed changes nothing: the
     * checkpoints stay counted, and the saves due for them run in the reader's thread, where a failure
     * reaches the caller, until one succeeds there.
     */
    private boolean collectSave(boolean wait) {
        FutureTask<Long> task = saving;
        if (task == null || !wait && !task.isDone()) {
            return false;
        }
        boolean late = !task.isDone();
        boolean interrupted = false;
        while (true) {
            try {
                lastSaveNanos = task.get();
                unsavedCheckpoints -= savingCovers;
                unsavedSince = savingStartedAt;
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException failed) {
                lastSaveNanos = Long.MAX_VALUE;
                resources.logger.log(System.Logger.Level.DEBUG, "a background save of the cursor of topic {0} failed"
                        + " (the next save runs in the reader's thread): {1}", topic.name, failed.getCause());
                break;
            }
        }
        saving = null;
        paced = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return late;
    }

    /**
     * Waits for the background save in flight, if any: before the cursor files are closed or deleted
     * (a save in flight would open its file again).
     */
    void awaitSave() {
        lock.lock();
        try {
            collectSave(true);
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
            return Math.max(at.sequence, topic.snapshot().floorSequence());
        } finally {
            lock.unlock();
        }
    }

    /** On close: persist a cursor that moved since its last save. */
    void saveIfMoved() throws IOException {
        lock.lock();
        try {
            collectSave(true);
            if (unsavedCheckpoints > 0) {
                save();
            }
        } finally {
            lock.unlock();
        }
    }
}
