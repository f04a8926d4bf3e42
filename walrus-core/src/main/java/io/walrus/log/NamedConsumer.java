package io.walrus.log;

import io.walrus.EntryVisitor;
import io.walrus.cursor.CursorStore;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

/**
 * One named consumer of an instance: its own cursor per topic, persisted in its own directory under
 * the instance's consistency mode. A topic it has no cursor for is read from its earliest retained
 * entry (a consumer created at the tail got a cursor for every topic that existed then).
 */
public final class NamedConsumer implements ReadCursors {
    private final String name;
    private final CursorStore cursors;
    private final LogResources resources;
    private final TopicReads reads;
    /** Where readers not made yet start: cursors found at open, or the tail at creation. */
    private final Map<String, TopicReader.Position> startPositions;
    private final ConcurrentHashMap<String, TopicReader> readers = new ConcurrentHashMap<>();
    /**
     * Reads hold it shared; removal takes it exclusively, so no read saves a cursor after removal
     * began. A StampedLock, not a ReentrantReadWriteLock:
     * nothing here re-enters it, and the latter allocates a hold counter per read whenever two
     * threads read through the same consumer.
     */
    private final StampedLock life = new StampedLock();
    private volatile boolean removed;

    NamedConsumer(String name, CursorStore cursors, Map<String, TopicReader.Position> startPositions,
                  LogResources resources, TopicReads reads) {
        this.name = name;
        this.cursors = cursors;
        this.startPositions = new ConcurrentHashMap<>(startPositions);
        this.resources = resources;
        this.reads = reads;
    }

    public String name() {
        return name;
    }

    /** The next entry at this consumer's cursor, waiting up to {@code timeoutNanos} (0: not at all); null if none. */
    public byte[] readNext(String topic, boolean checkpoint, long timeoutNanos) throws IOException {
        return reads.readNext(this, topic, checkpoint, timeoutNanos);
    }

    public List<byte[]> batchRead(String topic, long maxBytes, int maxEntries, boolean checkpoint, long timeoutNanos)
            throws IOException {
        return reads.batchRead(this, topic, maxBytes, maxEntries, checkpoint, timeoutNanos);
    }

    /** As {@link #batchRead(String, long, int, boolean, long)}, handing the entries to {@code visitor}. */
    public int visitBatch(String topic, long maxBytes, int maxEntries, boolean checkpoint, long timeoutNanos,
                          EntryVisitor visitor) throws IOException {
        return reads.visitBatch(this, topic, maxBytes, maxEntries, checkpoint, timeoutNanos, visitor);
    }

    @Override
    public byte[] readNext(Topic topic, boolean checkpoint) throws IOException {
        long stamp = life.readLock();
        try {
            checkUsable();
            return reader(topic).readNext(checkpoint);
        } finally {
            life.unlockRead(stamp);
        }
    }

    @Override
    public List<byte[]> batchRead(Topic topic, long maxBytes, int maxEntries, boolean checkpoint) throws IOException {
        long stamp = life.readLock();
        try {
            checkUsable();
            return reader(topic).batchRead(maxBytes, maxEntries, checkpoint);
        } finally {
            life.unlockRead(stamp);
        }
    }

    @Override
    public int visitBatch(Topic topic, long maxBytes, int maxEntries, boolean checkpoint, EntryVisitor visitor)
            throws IOException {
        long stamp = life.readLock();
        try {
            checkUsable();
            return reader(topic).visitBatch(maxBytes, maxEntries, checkpoint, visitor);
        } finally {
            life.unlockRead(stamp);
        }
    }

    @Override
    public boolean hasReadable(Topic topic) {
        checkUsable();
        return reader(topic).hasReadable();
    }

    @Override
    public void checkUsable() {
        if (removed) {
            throw new IllegalStateException("consumer '" + name + "' was removed");
        }
    }

    /**
     * The sequence a crash would resume this consumer from on {@code topic}: its persisted cursor, or
     * where it starts if it has none.
     */
    long checkpointedSequence(Topic topic) {
        TopicReader reader = readers.get(topic.name);
        if (reader != null) {
            return reader.savedSequence();
        }
        TopicReader.Position start = startPositions.get(topic.name);
        return start != null ? start.nextSequence() : earliest(topic).nextSequence();
    }

    /** On close: persist cursors that moved since their last save. */
    void saveIfMoved() throws IOException {
        long stamp = life.readLock();
        try {
            if (removed) {
                return;
            }
            for (TopicReader reader : readers.values()) {
                reader.saveIfMoved();
            }
        } finally {
            life.unlockRead(stamp);
        }
    }

    /** Waits out reads in flight; every later call throws IllegalStateException. */
    void retire() {
        long stamp = life.writeLock();
        try {
            removed = true;
        } finally {
            life.unlockWrite(stamp);
        }
        closeCursors(); // before its files are deleted
    }

    /** Closes its cursor files (on removal, or when the instance closes); a later save would open them again. */
    void closeCursors() {
        for (TopicReader reader : readers.values()) {
            reader.awaitSave();
        }
        cursors.close();
    }

    private TopicReader reader(Topic topic) {
        TopicReader existing = readers.get(topic.name);
        if (existing != null) {
            return existing; // the common case, without the capturing lambda below
        }
        return readers.computeIfAbsent(topic.name, topicName -> {
            TopicReader.Position start = startPositions.remove(topicName);
            // A named consumer always counts for deletion: its files wait for it.
            return new TopicReader(topic, start != null ? start : earliest(topic), resources, cursors, true);
        });
    }

    /** The topic's first retained entry (offset 0: the reader steps over the block header). */
    private static TopicReader.Position earliest(Topic topic) {
        TopicChain chain = topic.snapshot();
        return new TopicReader.Position(chain.firstNumber(), 0, chain.floorSequence());
    }

    @Override
    public String toString() {
        return "consumer '" + name + "'";
    }
}
