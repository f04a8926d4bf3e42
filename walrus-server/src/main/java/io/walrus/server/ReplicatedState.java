package io.walrus.server;

import io.walrus.client.wire.Command;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of a node's state that lives beside its Walrus instance and is the same on every node:
 * how many entries each topic has had applied, and every consumer's cursor (the next sequence it
 * reads) per topic. The entries themselves are in Walrus. Changed only by the thread applying the
 * Raft log; read by queries from other threads (every map is concurrent).
 */
final class ReplicatedState {
    static final String DEFAULT_CONSUMER = Command.DEFAULT_CONSUMER;

    private final Map<String, Long> appliedEntries = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> cursors = new ConcurrentHashMap<>();

    ReplicatedState() {
        cursors.put(DEFAULT_CONSUMER, new ConcurrentHashMap<>());
    }

    long appliedEntries(String topic) {
        return appliedEntries.getOrDefault(topic, 0L);
    }

    void addApplied(String topic, long count) {
        appliedEntries.merge(topic, count, Long::sum);
    }

    Map<String, Long> appliedEntries() {
        return appliedEntries;
    }

    boolean hasConsumer(String consumer) {
        return cursors.containsKey(consumer);
    }

    /** The next sequence {@code consumer} reads on {@code topic}; 0 for a topic it never read. */
    long cursor(String consumer, String topic) {
        Map<String, Long> byTopic = cursors.get(consumer);
        return byTopic == null ? 0 : byTopic.getOrDefault(topic, 0L);
    }

    void moveCursor(String consumer, String topic, long nextSequence) {
        cursors.get(consumer).put(topic, nextSequence);
    }

    /** Whether {@code consumer} has an entry to read on {@code topic}. */
    boolean hasReadable(String consumer, String topic) {
        return hasConsumer(consumer) && cursor(consumer, topic) < appliedEntries(topic);
    }

    /** @return false if it existed already */
    boolean createConsumer(String name) {
        return cursors.putIfAbsent(name, new ConcurrentHashMap<>()) == null;
    }

    /** @return false if there was none of that name */
    boolean removeConsumer(String name) {
        return cursors.remove(name) != null;
    }

    /** Sorted. */
    List<String> namedConsumers() {
        return cursors.keySet().stream().filter(name -> !name.equals(DEFAULT_CONSUMER)).sorted().toList();
    }

    Map<String, Map<String, Long>> cursors() {
        return cursors;
    }
}
