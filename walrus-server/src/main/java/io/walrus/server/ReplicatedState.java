package io.walrus.server;

import io.walrus.client.wire.Command;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of a node's state that lives beside its Walrus instance: what is the same on every node,
 * how many entries each topic has had applied and every consumer's cursor (the next sequence it
 * reads) per topic; and what is this node's own, where in its Walrus topic each applied entry is
 * ({@link DeadEntries}). The entries themselves are in Walrus. Changed only by the thread applying
 * the Raft log; read by queries from other threads (every map is concurrent).
 */
final class ReplicatedState {
    static final String DEFAULT_CONSUMER = Command.DEFAULT_CONSUMER;

    private final Map<String, Long> appliedEntries = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> cursors = new ConcurrentHashMap<>();
    private final Map<String, DeadEntries> dead = new ConcurrentHashMap<>();
    /** For topics without dead entries; never added to. */
    private static final DeadEntries NONE_DEAD = new DeadEntries();

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

    /** The dead entries of {@code topic} in this node's Walrus (none for a topic it never saw). */
    DeadEntries dead(String topic) {
        return dead.getOrDefault(topic, NONE_DEAD);
    }

    /** The same, to add to: only for the thread applying the log. */
    DeadEntries deadToAdd(String topic) {
        return dead.computeIfAbsent(topic, t -> new DeadEntries());
    }

    /** Topics with dead entries, for the snapshot file. */
    Map<String, DeadEntries> deadByTopic() {
        return dead;
    }

    /** As a snapshot file recorded them. */
    void restoreDead(String topic, DeadEntries entries) {
        dead.put(topic, entries);
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
        return hasConsumer(consumer) && readPosition(consumer, topic) < appliedEntries(topic);
    }

    /**
     * Creates a named consumer with its cursors at every topic's floor: entries before a floor may be
     * gone, and starting lower would pull the floor back below what some node deleted.
     *
     * @return false if it existed already
     */
    boolean createConsumer(String name) {
        if (cursors.containsKey(name)) {
            return false;
        }
        Map<String, Long> start = new ConcurrentHashMap<>();
        for (String topic : appliedEntries.keySet()) {
            long floor = floor(topic);
            if (floor > 0) {
                start.put(topic, floor);
            }
        }
        cursors.put(name, start);
        return true;
    }

    /** A consumer as a snapshot recorded it: no cursors yet (the snapshot's come next), none invented. */
    void restoreConsumer(String name) {
        cursors.putIfAbsent(name, new ConcurrentHashMap<>());
    }

    /** @return false if there was none of that name */
    boolean removeConsumer(String name) {
        return cursors.remove(name) != null;
    }

    /**
     * The sequence before which every consumer that counts has read all of {@code topic}: entries
     * before it may be deleted (0: none may). As the embedded Walrus decides: every named consumer
     * counts, and the default consumer once it has read the topic; a topic no consumer counts for
     * keeps everything. Derived from replicated state only, so it is the same on every node at the
     * same index, and it never goes down: cursors only move on, and a consumer is created at the
     * floors of the moment (see {@link #createConsumer}).
     */
    long floor(String topic) {
        long floor = Long.MAX_VALUE;
        for (Map.Entry<String, Map<String, Long>> consumer : cursors.entrySet()) {
            Long cursor = consumer.getValue().get(topic);
            if (cursor != null || !consumer.getKey().equals(DEFAULT_CONSUMER)) {
                floor = Math.min(floor, cursor == null ? 0 : cursor);
            }
        }
        return floor == Long.MAX_VALUE ? 0 : floor;
    }

    /** Every topic's {@link #floor} above 0: what a node may delete before. */
    Map<String, Long> consumedFloors() {
        Map<String, Long> floors = new java.util.HashMap<>();
        for (String topic : appliedEntries.keySet()) {
            long floor = floor(topic);
            if (floor > 0) {
                floors.put(topic, floor);
            }
        }
        return floors;
    }

    /**
     * Where {@code consumer} reads {@code topic} next: its cursor, or the topic's floor when that is
     * further (the default consumer before it first reads a topic others consumed: what is before the
     * floor may be deleted on some nodes already, so no node reads it).
     */
    long readPosition(String consumer, String topic) {
        return Math.max(cursor(consumer, topic), floor(topic));
    }

    /** Sorted. */
    List<String> namedConsumers() {
        return cursors.keySet().stream().filter(name -> !name.equals(DEFAULT_CONSUMER)).sorted().toList();
    }

    Map<String, Map<String, Long>> cursors() {
        return cursors;
    }
}
