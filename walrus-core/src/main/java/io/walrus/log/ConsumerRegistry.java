package io.walrus.log;

import io.walrus.cursor.ConsumerStore;
import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.ConsumerDescriptor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The named consumers of an instance: found on disk at open (their cursors resolved against the
 * recovered topics, and clamped to the end where a crash lost entries, before any write), created
 * and removed durably while it runs.
 */
final class ConsumerRegistry {
    private final ConsumerStore store;
    private final LogResources resources;
    private final TopicReads reads;
    private final ConcurrentHashMap<String, NamedConsumer> consumers = new ConcurrentHashMap<>();
    /** Creation and removal are rare and touch the disk: one at a time. */
    private final Object lifeCycle = new Object();

    private ConsumerRegistry(ConsumerStore store, LogResources resources, TopicReads reads) {
        this.store = store;
        this.resources = resources;
        this.reads = reads;
    }

    /** Loads every consumer of {@code directory}; runs at open, before the instance takes writes. */
    static ConsumerRegistry open(Path directory, List<Recovery.RecoveredTopic> recovered, LogResources resources,
                                 TopicReads reads) throws IOException {
        ConsumerRegistry registry = new ConsumerRegistry(new ConsumerStore(directory, resources.logger), resources, reads);
        Map<String, Recovery.RecoveredTopic> chains = new HashMap<>();
        for (Recovery.RecoveredTopic topic : recovered) {
            chains.put(topic.name(), topic);
        }
        CursorResolver resolver = new CursorResolver();
        for (ConsumerStore.Stored stored : registry.store.loadAll()) {
            String name = stored.descriptor().name();
            Map<String, TopicReader.Position> positions = registry.resolve(name, stored.cursors(), chains, resolver);
            registry.consumers.put(name, new NamedConsumer(name, stored.cursors(), positions, resources, reads));
        }
        return registry;
    }

    /** The consumer of that name, created (durably) if it does not exist. */
    NamedConsumer consumer(String name, boolean startAtTail, Collection<Topic> topics) throws IOException {
        NamedConsumer existing = consumers.get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (lifeCycle) {
            resources.checkOpen();
            existing = consumers.get(name);
            if (existing != null) {
                return existing;
            }
            Map<String, TopicReader.Position> positions = new HashMap<>();
            Map<String, Cursor> cursors = new HashMap<>();
            if (startAtTail) {
                for (Topic topic : topics) {
                    TopicReader.Position tail = topic.writer.committedTail();
                    positions.put(topic.name, tail);
                    cursors.put(topic.name, cursorAt(topic.snapshot(), tail));
                }
            }
            ConsumerStore.Stored stored = store.create(
                    new ConsumerDescriptor(name, startAtTail, System.currentTimeMillis()), cursors);
            NamedConsumer created = new NamedConsumer(name, stored.cursors(), positions, resources, reads);
            consumers.put(name, created);
            return created;
        }
    }

    /** Removes a consumer and its cursors durably; false if there was none of that name. */
    boolean remove(String name) throws IOException {
        synchronized (lifeCycle) {
            resources.checkOpen();
            NamedConsumer consumer = consumers.get(name);
            if (consumer == null) {
                return false;
            }
            consumer.retire();
            consumers.remove(name);
            reads.wakeAll(); // its waiting reads find it gone
            store.remove(name);
            return true;
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>(consumers.keySet());
        names.sort(null);
        return names;
    }

    boolean isEmpty() {
        return consumers.isEmpty();
    }

    /** The lowest sequence any named consumer would resume {@code topic} from after a crash, or {@code ceiling}. */
    long lowestCheckpointedSequence(Topic topic, long ceiling) {
        long lowest = ceiling;
        for (NamedConsumer consumer : consumers.values()) {
            lowest = Math.min(lowest, consumer.checkpointedSequence(topic));
        }
        return lowest;
    }

    /** On close, after the last saves: closes every consumer's cursor files. */
    void closeCursors() {
        for (NamedConsumer consumer : consumers.values()) {
            consumer.closeCursors();
        }
    }

    /** On close: every consumer's moved cursors; the first failure is thrown after trying them all. */
    void saveAllIfMoved() throws IOException {
        IOException failure = null;
        for (NamedConsumer consumer : consumers.values()) {
            try {
                consumer.saveIfMoved();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Map<String, TopicReader.Position> resolve(String consumer, CursorStore cursors,
                                                      Map<String, Recovery.RecoveredTopic> chains,
                                                      CursorResolver resolver) throws IOException {
        Map<String, TopicReader.Position> positions = new HashMap<>();
        for (Map.Entry<String, Cursor> saved : cursors.loadAll().entrySet()) {
            String topic = saved.getKey();
            Cursor cursor = saved.getValue();
            Recovery.RecoveredTopic recovered = chains.get(topic);
            if (recovered != null && recovered.chain().length == 0) {
                positions.put(topic, resolveInEmpty(consumer, topic, cursors, cursor, recovered));
                continue;
            }
            Block[] chain = recovered == null ? null : recovered.chain();
            if (chain == null) {
                if (cursor.nextSequence() > 0) {
                    resources.logger.log(Level.WARNING, "consumer ''{0}'', topic ''{1}'': its cursor was at entry {2} but "
                            + "no entry of the topic survived a crash; it starts over at the topic''s first entry",
                            consumer, topic, cursor.nextSequence());
                    cursors.save(topic, new Cursor(0, -1, 0));
                }
                continue;
            }
            CursorResolver.Resolved resolved = resolver.resolve(chain, cursor);
            if (resolved.clamped()) {
                resources.logger.log(Level.WARNING, "consumer ''{0}'', topic ''{1}'': its cursor was at entry {2} but "
                        + "the log now ends at entry {3} (entries written after the last flush were lost in a crash); "
                        + "reading resumes at the end", consumer, topic, cursor.nextSequence(),
                        resolved.position().nextSequence());
                // Saved now, before new appends reuse those sequence numbers: the cursor must not skip them.
                cursors.save(topic, cursorAt(chain, resolved.position()));
            }
            positions.put(topic, resolved.position());
        }
        return positions;
    }

    /**
     * A topic that holds no entry (all deleted, or its start lost to damage) starts at its next
     * sequence: a cursor beyond it is pulled back (and saved, as for a clamp), one before it moves up.
     */
    private TopicReader.Position resolveInEmpty(String consumer, String topic, CursorStore cursors, Cursor cursor,
                                                Recovery.RecoveredTopic recovered) throws IOException {
        long next = recovered.writer().nextSequence();
        if (cursor.nextSequence() > next) {
            resources.logger.log(Level.WARNING, "consumer ''{0}'', topic ''{1}'': its cursor was at entry {2} but "
                    + "the topic now ends at entry {3}; reading resumes there", consumer, topic, cursor.nextSequence(), next);
            cursors.save(topic, new Cursor(next, -1, 0));
        }
        return new TopicReader.Position(0, 0, next);
    }

    private static Cursor cursorAt(Block[] chain, TopicReader.Position position) {
        long index = position.blockNumber();
        long blockSeq = index >= 0 && index < chain.length ? chain[(int) index].blockSeq : -1;
        return new Cursor(position.nextSequence(), blockSeq, position.offset());
    }

    private static Cursor cursorAt(TopicChain chain, TopicReader.Position position) {
        Block block = chain.block(position.blockNumber());
        return new Cursor(position.nextSequence(), block != null ? block.blockSeq : -1, position.offset());
    }
}
