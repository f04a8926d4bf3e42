package io.walrus;

/**
 * How often a topic's read cursor is persisted, and so what a reader may see again after a crash.
 *
 * <ul>
 *   <li>{@link #strictlyAtOnce()}: every checkpoint is on stable storage before the read returns, so
 *       a checkpointed entry is never handed out twice, even across a crash.</li>
 *   <li>{@link #atLeastOnce(int)}: the cursor is persisted every {@code persistEvery} checkpoints
 *       (and on close); after a crash up to {@code persistEvery} entries may be handed out again.</li>
 * </ul>
 */
public sealed interface ReadConsistency permits ReadConsistency.StrictlyAtOnce, ReadConsistency.AtLeastOnce {

    /** Every checkpoint is persisted before the read returns. */
    static ReadConsistency strictlyAtOnce() {
        return StrictlyAtOnce.INSTANCE;
    }

    /**
     * The cursor is persisted every {@code persistEvery} checkpoints.
     *
     * @throws IllegalArgumentException if {@code persistEvery < 1}
     */
    static ReadConsistency atLeastOnce(int persistEvery) {
        return new AtLeastOnce(persistEvery);
    }

    /** Checkpoints persisted per cursor write: 1 for {@code strictlyAtOnce()}. */
    int persistEvery();

    /** Every checkpoint persisted before the read returns. */
    record StrictlyAtOnce() implements ReadConsistency {
        static final StrictlyAtOnce INSTANCE = new StrictlyAtOnce();

        @Override
        public int persistEvery() {
            return 1;
        }
    }

    /** Persisted every {@code persistEvery} checkpoints; up to that many replay after a crash. */
    record AtLeastOnce(int persistEvery) implements ReadConsistency {
        public AtLeastOnce {
            if (persistEvery < 1) {
                throw new IllegalArgumentException("persistEvery must be at least 1, persistEvery=" + persistEvery);
            }
        }
    }
}
