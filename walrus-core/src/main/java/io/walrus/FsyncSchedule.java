package io.walrus;

/**
 * When appended bytes are forced to stable storage.
 *
 * <ul>
 *   <li>{@link #syncEach()}: an append returns only after its bytes are on stable storage.
 *       Concurrent appenders share flushes (group commit).</li>
 *   <li>{@link #milliseconds(long)}: a background thread flushes written files at this cadence; a
 *       crash may lose what was appended since the last flush.</li>
 *   <li>{@link #noFsync()}: the operating system decides; files are flushed only on close.</li>
 * </ul>
 */
public sealed interface FsyncSchedule permits FsyncSchedule.SyncEach, FsyncSchedule.Milliseconds, FsyncSchedule.NoFsync {

    /** Every append is on stable storage before it returns. */
    static FsyncSchedule syncEach() {
        return SyncEach.INSTANCE;
    }

    /**
     * A background flush every {@code millis} milliseconds.
     *
     * @throws IllegalArgumentException if {@code millis < 1}
     */
    static FsyncSchedule milliseconds(long millis) {
        return new Milliseconds(millis);
    }

    /** Never flushed by Walrus except on close. */
    static FsyncSchedule noFsync() {
        return NoFsync.INSTANCE;
    }

    /** Every append on stable storage before it returns. */
    record SyncEach() implements FsyncSchedule {
        static final SyncEach INSTANCE = new SyncEach();
    }

    /** A background flush at this cadence. */
    record Milliseconds(long millis) implements FsyncSchedule {
        public Milliseconds {
            if (millis < 1) {
                throw new IllegalArgumentException("fsync interval must be at least 1 ms, millis=" + millis);
            }
        }
    }

    /** Flushed only on close. */
    record NoFsync() implements FsyncSchedule {
        static final NoFsync INSTANCE = new NoFsync();
    }
}
