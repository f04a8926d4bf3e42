package io.walrus.log;

import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * When one consumer's cursor on one topic is made durable, as its consistency mode says: no read
 * returns while {@code persistEvery} or more of its checkpoints are not durable. Under
 * {@code atLeastOnce(n)}, a reader well slower than the disk has the save started in the background
 * once half of that is reached, so it does not wait for the fdatasync; a reader that keeps up with
 * the disk saves in its own thread at n, one fdatasync per n checkpoints ({@link CursorSaveAhead}
 * can fix either way). Not thread-safe: its {@link TopicReader} calls it under its lock; only the
 * background save's task runs elsewhere, and it touches nothing here but {@link #savedSequence}.
 */
final class CursorSaves {
    private final String topic;
    private final CursorStore cursors;
    private final int persistEvery;
    private final CursorSaveAhead saveAhead;
    private final System.Logger logger;
    /** Checkpoints not yet durable: since the last save that completed. */
    private int unsaved;
    /** The background save in flight, or null: one at a time. */
    private FutureTask<Long> saving;
    /** How many of {@link #unsaved} {@link #saving} makes durable, and when it started. */
    private int savingCovers;
    private long savingStartedAt;
    // Pacing: how long the last save took (unknown at first: the first round saves in the reader's
    // thread, which measures it), when the checkpoints counted in unsaved began, and whether this
    // round's choice is made.
    private long lastSaveNanos = Long.MAX_VALUE;
    private long unsavedSince = System.nanoTime();
    private boolean paced;
    /** The next sequence as last made durable (or as found at open): what a crash would resume from. */
    private volatile long savedSequence;

    CursorSaves(String topic, CursorStore cursors, int persistEvery, CursorSaveAhead saveAhead, System.Logger logger,
                long savedSequence) {
        this.topic = topic;
        this.cursors = cursors;
        this.persistEvery = persistEvery;
        this.saveAhead = saveAhead;
        this.logger = logger;
        this.savedSequence = savedSequence;
    }

    /**
     * Counts {@code count} checkpoints, the cursor now at {@code here}, and makes it durable when due:
     * before returning if persistEvery checkpoints are not yet durable; in the background once half of
     * them are, when that pays (see {@link #saveAheadPays}).
     *
     * @throws IOException when a save due now failed; the checkpoints are then not counted, and the
     *                     caller takes the cursor back to where it was before them
     */
    void checkpoint(int count, Supplier<Cursor> here) throws IOException {
        unsaved += count;
        collect(false);
        if (unsaved >= persistEvery) {
            boolean late = collect(true); // the save in flight may make enough of them durable
            if (unsaved >= persistEvery) {
                try {
                    save(here.get());
                } catch (IOException e) {
                    unsaved -= count;
                    throw e;
                }
                return;
            }
            if (late && saveAhead == CursorSaveAhead.PACED) {
                // It landed after the reader got here: saving ahead does not pay now, and the pace since
                // it began includes the wait. This round is saved in the reader's thread, at n.
                paced = true;
                return;
            }
        }
        if (!paced && saving == null && persistEvery > 1 && unsaved >= (persistEvery + 1) / 2) {
            paced = true;
            long now = System.nanoTime();
            boolean ahead = switch (saveAhead) {
                case PACED -> saveAheadPays(now);
                case ALWAYS -> true;
                case NEVER -> false;
            };
            if (ahead) {
                saveInBackground(here.get(), now);
            }
        }
    }

    /** On close: waits for the save in flight and makes durable what came after it. */
    void saveIfMoved(Supplier<Cursor> here) throws IOException {
        collect(true);
        if (unsaved > 0) {
            save(here.get());
        }
    }

    /**
     * Waits for the background save in flight, if any: before the cursor files are closed or deleted
     * (a save in flight would open its file again).
     */
    void awaitSave() {
        collect(true);
    }

    /** The sequence a crash would resume this cursor from. */
    long savedSequence() {
        return savedSequence;
    }

    /**
     * Whether a save started now would land well before the reader, at its pace since the checkpoints
     * not yet durable began, reaches persistEvery of them: in half the time the reader needs, so a
     * save a little slower than the last does not make it wait. A save that lands late costs more than
     * the synchronous one (the reader waits for it anyway, and it covered only half the round, so
     * another follows sooner): a reader that keeps up with the disk is best served by the plain save.
     */
    private boolean saveAheadPays(long now) {
        double nanosPerCheckpoint = (double) (now - unsavedSince) / unsaved;
        return 2.0 * lastSaveNanos < nanosPerCheckpoint * (persistEvery - unsaved);
    }

    private void save(Cursor cursor) throws IOException {
        long started = System.nanoTime();
        cursors.save(topic, cursor);
        long ended = System.nanoTime();
        unsaved = 0;
        savedSequence = cursor.nextSequence();
        lastSaveNanos = ended - started;
        unsavedSince = ended;
        paced = false;
    }

    /**
     * Starts saving {@code cursor} on a virtual thread: once every persistEvery / 2 checkpoints at
     * most, so the thread is no cost per entry. Deletion sees the new position only once it is durable
     * ({@link #savedSequence} is set after the fdatasync). The task returns how long the save took.
     */
    private void saveInBackground(Cursor cursor, long now) {
        FutureTask<Long> task = new FutureTask<>(() -> {
            long started = System.nanoTime();
            cursors.save(topic, cursor);
            savedSequence = cursor.nextSequence();
            return System.nanoTime() - started;
        });
        saving = task;
        savingCovers = unsaved;
        savingStartedAt = now;
        Thread.ofVirtual().name("walrus-cursor-save").start(task);
    }

    /**
     * Takes the result of the background save in flight, if it finished (or, with {@code wait}, once it
     * has, ignoring interrupts, which are kept for the caller): the checkpoints it covered are durable,
     * and those after it count from when it started. Returns whether it had to wait for it. A save that
     * failed changes nothing: the checkpoints stay counted, and the saves due for them run in the
     * reader's thread, where a failure reaches the caller, until one succeeds there.
     */
    private boolean collect(boolean wait) {
        FutureTask<Long> task = saving;
        if (task == null || !wait && !task.isDone()) {
            return false;
        }
        boolean late = !task.isDone();
        boolean interrupted = false;
        while (true) {
            try {
                lastSaveNanos = task.get();
                unsaved -= savingCovers;
                unsavedSince = savingStartedAt;
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException failed) {
                lastSaveNanos = Long.MAX_VALUE;
                logger.log(System.Logger.Level.DEBUG, "a background save of the cursor of topic {0} failed"
                        + " (the next save runs in the reader's thread): {1}", topic, failed.getCause());
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
}
