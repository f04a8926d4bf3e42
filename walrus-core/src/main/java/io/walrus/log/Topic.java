package io.walrus.log;

import java.util.Arrays;

/**
 * One topic: its chain of blocks in order, the writer that appends to the last one and the reader
 * that follows the default consumer's cursor (named consumers keep their own readers). The chain is copy-on-write: the writer replaces the array under its lock
 * and readers take the current array without locking.
 */
final class Topic {
    final String name;
    /** The allocator lane this topic's blocks come from. */
    final int lane;
    final TopicWriter writer;
    final TopicReader reader;
    /** Where waiting reads of this topic park until the writer commits. */
    final CommitSignal commits = new CommitSignal();
    private volatile Block[] chain;

    Topic(String name, int lane, Block[] chain, TopicWriter.State writerState, TopicReader.Position readerPosition,
          LogResources resources) {
        this.name = name;
        this.lane = lane;
        this.chain = chain;
        this.writer = new TopicWriter(this, writerState, resources);
        this.reader = new TopicReader(this, readerPosition, resources);
    }

    Block[] chain() {
        return chain;
    }

    /** Writer only, under its lock. */
    void addBlock(Block block) {
        Block[] next = Arrays.copyOf(chain, chain.length + 1);
        next[chain.length] = block;
        chain = next;
    }

    /** Writer only, under its lock: drops blocks a failed batch took (readers cannot have reached them). */
    void truncateChain(int length) {
        if (length < chain.length) {
            chain = Arrays.copyOf(chain, length);
        }
    }

    @Override
    public String toString() {
        return "topic '" + name + "'";
    }
}
