package io.walrus.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A run of bytes in a data file owned by one topic. Entries are appended from {@link #headerLength}
 * on. The writer publishes appended bytes with a release store of {@link #committedEnd} and, once it
 * has moved to the next block, sets {@link #sealed}; readers load both with acquire semantics, so a
 * reader that sees an offset below {@code committedEnd} sees every byte before it, and a reader that
 * sees {@code sealed} sees the final {@code committedEnd} and the next block in the chain.
 */
final class Block {
    final LogFile file;
    final int indexInFile;
    final long fileOffset;
    final int capacity;
    final int headerLength;
    final long nonce;
    final long blockSeq;
    final long baseSequence;

    /**
     * For the seal record ({@link io.walrus.format.SealRecord}): where the last batch that ends in this
     * block ends (-1 while none does), and the batch position of its last entry. Written by the writer
     * under its lock before the block is sealed, read by others only after seeing it sealed.
     */
    int commitOffset = -1;
    long commitSequence = -1;
    int remainingAtEnd;
    /** Taken from a seal record at open instead of being scanned: damage in it is found when it is read. */
    boolean trusted;
    /** Whether the SEALS file has a record of it (for compaction). */
    volatile boolean recorded;

    private int committedEnd;
    private long committedNextSequence;
    private volatile boolean sealed;

    private static final VarHandle COMMITTED_END;
    private static final VarHandle COMMITTED_NEXT_SEQUENCE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COMMITTED_END = lookup.findVarHandle(Block.class, "committedEnd", int.class);
            COMMITTED_NEXT_SEQUENCE = lookup.findVarHandle(Block.class, "committedNextSequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Block(LogFile file, int indexInFile, long fileOffset, int capacity, int headerLength, long nonce,
          long blockSeq, long baseSequence) {
        this.file = file;
        this.indexInFile = indexInFile;
        this.fileOffset = fileOffset;
        this.capacity = capacity;
        this.headerLength = headerLength;
        this.nonce = nonce;
        this.blockSeq = blockSeq;
        this.baseSequence = baseSequence;
        this.committedEnd = headerLength;
        this.committedNextSequence = baseSequence;
    }

    /** Acquire load: every byte below the returned offset was written before it was published. */
    int committedEnd() {
        return (int) COMMITTED_END.getAcquire(this);
    }

    /** Sequence of the entry after the last committed one in this block. */
    long committedNextSequence() {
        return (long) COMMITTED_NEXT_SEQUENCE.getAcquire(this);
    }

    /**
     * Makes entries up to {@code end} (and sequences below {@code nextSequence}) visible to readers.
     * Release stores: ordered after the writes of the entries, without the full fence a volatile
     * store costs on every append.
     */
    void publish(int end, long nextSequence) {
        COMMITTED_NEXT_SEQUENCE.setRelease(this, nextSequence);
        COMMITTED_END.setRelease(this, end);
    }

    boolean sealed() {
        return sealed;
    }

    void seal() {
        sealed = true;
    }

    @Override
    public String toString() {
        return "block " + indexInFile + " of " + file + " (seq " + blockSeq + ")";
    }
}
