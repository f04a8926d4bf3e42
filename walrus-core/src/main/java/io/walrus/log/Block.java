package io.walrus.log;

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

    private volatile int committedEnd;
    private volatile long committedNextSequence;
    private volatile boolean sealed;

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

    int committedEnd() {
        return committedEnd;
    }

    /** Sequence of the entry after the last committed one in this block. */
    long committedNextSequence() {
        return committedNextSequence;
    }

    /** Makes entries up to {@code end} (and sequences below {@code nextSequence}) visible to readers. */
    void publish(int end, long nextSequence) {
        this.committedNextSequence = nextSequence;
        this.committedEnd = end;
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
