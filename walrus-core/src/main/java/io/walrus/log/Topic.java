package io.walrus.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One topic: its chain of blocks in order, the writer that appends to the last one and the reader
 * that follows the default consumer's cursor (named consumers keep their own readers). The chain is
 * copy-on-write: the writer appends (and, after a failed batch, truncates) at the end under its
 * lock, the reclaimer drops consumed blocks from the front, each by a compare-and-set of the whole
 * snapshot, and readers take the current snapshot without locking.
 */
final class Topic {
    final String name;
    /** The allocator lane this topic's blocks come from. */
    final int lane;
    final TopicWriter writer;
    final TopicReader reader;
    /** Where waiting reads of this topic park until the writer commits. */
    final CommitSignal commits = new CommitSignal();
    /** Where recent reads by sequence ended, so the next ones start there without walking ({@link SequenceReads}). */
    final KnownPositions positions = new KnownPositions();
    private volatile TopicChain chain;

    private static final VarHandle CHAIN;

    static {
        try {
            CHAIN = MethodHandles.lookup().findVarHandle(Topic.class, "chain", TopicChain.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Topic(String name, int lane, TopicChain chain, TopicWriter.State writerState, TopicReader.Position readerPosition,
          boolean defaultConsumerCheckpointed, LogResources resources) {
        this.name = name;
        this.lane = lane;
        this.chain = chain;
        this.writer = new TopicWriter(this, writerState, resources);
        this.reader = new TopicReader(this, readerPosition, resources, resources.cursors, defaultConsumerCheckpointed);
    }

    /** The retained blocks, in order; indexes are not stable across deletions (see {@link #snapshot()}). */
    Block[] chain() {
        return chain.blocks();
    }

    TopicChain snapshot() {
        return chain;
    }

    /** Writer only, under its lock. */
    void addBlock(Block block) {
        TopicChain current;
        do {
            current = chain;
        } while (!CHAIN.compareAndSet(this, current, current.append(block)));
    }

    /** Writer only, under its lock: drops blocks a failed batch took (readers cannot have reached them). */
    void truncateChain(long endNumber) {
        TopicChain current;
        do {
            current = chain;
        } while (!CHAIN.compareAndSet(this, current, current.truncateTo(endNumber)));
    }

    /**
     * Reclaimer only: drops from the front every sealed block whose entries all lie below
     * {@code floor}, and returns them (an empty array when there are none).
     */
    Block[] dropConsumed(long floor) {
        while (true) {
            TopicChain current = chain;
            Block[] blocks = current.blocks();
            int count = 0;
            while (count < blocks.length && blocks[count].sealed() && blocks[count].committedNextSequence() <= floor) {
                count++;
            }
            if (count == 0) {
                return new Block[0];
            }
            if (CHAIN.compareAndSet(this, current, current.dropFirst(count))) {
                return java.util.Arrays.copyOf(blocks, count);
            }
        }
    }

    @Override
    public String toString() {
        return "topic '" + name + "'";
    }
}
