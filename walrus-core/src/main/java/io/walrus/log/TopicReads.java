package io.walrus.log;

import io.walrus.EntryVisitor;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads through a consumer's cursors, and waits for entries when asked to: a waiting read parks on
 * the topic's {@link CommitSignal} (or on the instance's topic-creation signal while the topic does
 * not exist yet) until the writer commits, the timeout passes, or the instance closes.
 */
final class TopicReads {
    @FunctionalInterface
    private interface Attempt<T> {
        T read(Topic topic) throws IOException;
    }

    private final Map<String, Topic> topics;
    private final LogResources resources;
    /** Signalled whenever a topic is created, for reads waiting on a topic that does not exist yet. */
    private final CommitSignal topicCreated = new CommitSignal();

    TopicReads(Map<String, Topic> topics, LogResources resources) {
        this.topics = topics;
        this.resources = resources;
    }

    /** The next entry at {@code cursors}' cursor, waiting up to {@code timeoutNanos} for one; null if none came. */
    byte[] readNext(ReadCursors cursors, String topic, boolean checkpoint, long timeoutNanos) throws IOException {
        if (timeoutNanos == 0) {
            Topic existing = existing(cursors, topic);
            return existing == null ? null : cursors.readNext(existing, checkpoint);
        }
        return read(cursors, topic, timeoutNanos, t -> cursors.readNext(t, checkpoint), null, payload -> payload != null);
    }

    List<byte[]> batchRead(ReadCursors cursors, String topic, long maxBytes, int maxEntries, boolean checkpoint,
                           long timeoutNanos) throws IOException {
        if (timeoutNanos == 0) {
            Topic existing = existing(cursors, topic);
            return existing == null ? List.of() : cursors.batchRead(existing, maxBytes, maxEntries, checkpoint);
        }
        return read(cursors, topic, timeoutNanos, t -> cursors.batchRead(t, maxBytes, maxEntries, checkpoint),
                List.of(), batch -> !batch.isEmpty());
    }

    /** As {@link #batchRead}, handing the entries to {@code visitor} in place; returns how many it visited. */
    int visitBatch(ReadCursors cursors, String topic, long maxBytes, int maxEntries, boolean checkpoint,
                   long timeoutNanos, EntryVisitor visitor) throws IOException {
        if (timeoutNanos == 0) {
            Topic existing = existing(cursors, topic);
            return existing == null ? 0 : cursors.visitBatch(existing, maxBytes, maxEntries, checkpoint, visitor);
        }
        return read(cursors, topic, timeoutNanos,
                t -> cursors.visitBatch(t, maxBytes, maxEntries, checkpoint, visitor), 0, visited -> visited > 0);
    }

    /** A read that does not wait takes this path, which allocates nothing of its own. */
    private Topic existing(ReadCursors cursors, String topic) {
        resources.checkOpen();
        cursors.checkUsable();
        return topics.get(topic);
    }

    /** After a topic was put into the topic map. Rare (once per topic), so it always takes the lock. */
    void topicCreated() {
        topicCreated.signalAll();
    }

    /** Wakes every waiting read so it looks again (and finds the instance closed, or its consumer gone). */
    void wakeAll() {
        for (Topic topic : topics.values()) {
            topic.commits.signalAll();
        }
        topicCreated.signalAll();
    }

    private <T> T read(ReadCursors cursors, String name, long timeoutNanos, Attempt<T> attempt, T nothing,
                       Predicate<T> found) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Topic topic = existing(cursors, name);
            if (topic != null) {
                T result = attempt.read(topic);
                if (found.test(result)) {
                    return result;
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return nothing;
            }
            // Another reader of the same cursor may take the entry first: then wait again for what is left.
            if (topic == null) {
                topicCreated.await(() -> {
                    resources.checkOpen();
                    cursors.checkUsable();
                    return topics.containsKey(name);
                }, remaining);
            } else {
                topic.commits.await(() -> {
                    resources.checkOpen();
                    topic.writer.awaitIdle();
                    return cursors.hasReadable(topic);
                }, remaining);
            }
        }
    }
}
