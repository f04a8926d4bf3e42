package io.walrus.sync;

import java.io.IOException;

/**
 * When written bytes reach stable storage. The log calls {@link #writeStarting()} before an
 * append writes anything, then exactly one of {@link #afterWrite()} (outside any topic lock, once its
 * bytes are written) or {@link #writeAbandoned()} (when it wrote nothing it will acknowledge), and
 * {@link #close()} once at the end; the policy decides the rest.
 */
public interface FlushPolicy extends AutoCloseable {

    /** An append is about to write; a flush about to start may wait briefly for it to join. */
    default void writeStarting() {
    }

    /** The append announced by {@link #writeStarting()} ended without anything to acknowledge. */
    default void writeAbandoned() {
    }

    /**
     * Called after an append's bytes were written. Returns when they are as durable as the policy
     * promises: on stable storage for sync-each, at once for the others.
     *
     * @throws IOException when the flush that should cover these bytes failed
     */
    void afterWrite() throws IOException;

    /**
     * Returns once every write whose {@link #afterWrite()} has returned is on stable storage, whatever
     * the schedule: a flush now, through the same files and failure rules as the policy's own ({@code
     * Walrus.flush()}). A failure is final: the policy flushes nothing more as if the data were safe,
     * and the log stops taking writes.
     *
     * @throws IOException when the flush failed
     */
    void flushNow() throws IOException;

    /**
     * The policy that covers appends to {@code lane}'s files: under sync-each each lane has a group
     * commit of its own; the other schedules flush every file together and return themselves.
     */
    default FlushPolicy lane(int lane) {
        return this;
    }

    /** Stops background work and flushes everything written so far. */
    @Override
    void close() throws IOException;

    static FlushPolicy create(Kind kind, DirtyFiles files, FlushFailureListener onFailure, String name) {
        return create(kind, LanedFiles.single(files), onFailure, name);
    }

    /** The policy for {@code kind}; sync-each flushes each lane of {@code files} on its own. */
    static FlushPolicy create(Kind kind, LanedFiles files, FlushFailureListener onFailure, String name) {
        return switch (kind.mode()) {
            case SYNC_EACH -> new LaneGroupCommits(files);
            case PERIODIC -> new PeriodicFlusher(files, kind.intervalMillis(), onFailure, name);
            case ON_CLOSE -> new FlushOnClose(files);
        };
    }

    /** Told when a background flush fails, so the log can stop taking writes. */
    @FunctionalInterface
    interface FlushFailureListener {
        void flushFailed(IOException failure);
    }

    /** Which policy, as the user chose it. */
    record Kind(Mode mode, long intervalMillis) {
        public enum Mode { SYNC_EACH, PERIODIC, ON_CLOSE }

        public static Kind syncEach() {
            return new Kind(Mode.SYNC_EACH, 0);
        }

        public static Kind every(long millis) {
            return new Kind(Mode.PERIODIC, millis);
        }

        public static Kind onCloseOnly() {
            return new Kind(Mode.ON_CLOSE, 0);
        }
    }
}
