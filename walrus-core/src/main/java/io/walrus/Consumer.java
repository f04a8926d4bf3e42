package io.walrus;

import io.walrus.log.NamedConsumer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named consumer: its own cursor on every topic, persisted under the instance's consistency mode,
 * so several readers (an indexer, a replicator, an audit sink) each read every entry at their own
 * pace. Get one with {@link Walrus#consumer(String)}; the methods are those of the instance's default
 * consumer ({@link Walrus#readNext(String, boolean)} and friends) on this consumer's cursors.
 *
 * <pre>{@code
 * Consumer indexer = wal.consumer("indexer");
 * while (running) {
 *     indexer.readNext("events", true, Duration.ofSeconds(1)).ifPresent(e -> index(e.data()));
 * }
 * }</pre>
 *
 * <p>Thread-safe. After {@link Walrus#removeConsumer(String)} of its name, or after the instance
 * closes, every read throws IllegalStateException (a waiting read too, when it happens meanwhile).
 */
public final class Consumer implements WalrusConsumer {
    private final NamedConsumer consumer;

    Consumer(NamedConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String name() {
        return consumer.name();
    }

    /**
     * The next entry of {@code topic} after this consumer's cursor. With {@code checkpoint} the cursor
     * moves past it (and is persisted as the consistency mode says); without, this is a peek.
     *
     * @return empty for an unknown or fully consumed topic
     */
    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint) throws IOException {
        return readNext(topic, checkpoint, Duration.ZERO);
    }

    /**
     * As {@link #readNext(String, boolean)}, waiting up to {@code timeout} for an entry to be committed
     * (the topic need not exist yet). Returns as soon as one is; parks the thread meanwhile.
     *
     * @return empty if none was committed within the timeout
     * @throws IllegalStateException if the instance closes or this consumer is removed while waiting
     * @throws java.io.InterruptedIOException if the thread is interrupted while waiting
     */
    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint, Duration timeout) throws IOException {
        Arguments.checkTopic(topic);
        byte[] payload = consumer.readNext(topic, checkpoint, Arguments.timeoutNanos(timeout));
        return payload == null ? Optional.empty() : Optional.of(new Entry(payload));
    }

    /**
     * Entries after this consumer's cursor in commit order, until their payload bytes would exceed
     * {@code maxBytes} or {@link Walrus#MAX_BATCH_ENTRIES} are reached; at least one when one is available.
     */
    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint) throws IOException {
        return batchReadForTopic(topic, maxBytes, checkpoint, Duration.ZERO);
    }

    /** As {@link #batchReadForTopic(String, long, boolean)}, waiting up to {@code timeout} for a first entry. */
    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        long nanos = Arguments.timeoutNanos(timeout);
        return Arguments.entries(consumer.batchRead(topic, maxBytes, Walrus.MAX_BATCH_ENTRIES, checkpoint, nanos));
    }

    /**
     * The zero-copy form of {@link #batchReadForTopic(String, long, boolean)} on this consumer's
     * cursors: see {@link Walrus#visitBatchForTopic(String, long, boolean, EntryVisitor)}.
     *
     * @return how many entries were visited: 0 for an unknown or fully consumed topic
     */
    public int visitBatchForTopic(String topic, long maxBytes, boolean checkpoint, EntryVisitor visitor)
            throws IOException {
        return visitBatchForTopic(topic, maxBytes, checkpoint, Duration.ZERO, visitor);
    }

    /** As {@link #visitBatchForTopic(String, long, boolean, EntryVisitor)}, waiting up to {@code timeout} for a first entry. */
    public int visitBatchForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout,
                                 EntryVisitor visitor) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        long nanos = Arguments.timeoutNanos(timeout);
        Arguments.checkVisitor(visitor);
        return consumer.visitBatch(topic, maxBytes, Walrus.MAX_BATCH_ENTRIES, checkpoint, nanos, visitor);
    }

    @Override
    public String toString() {
        return "consumer '" + name() + "'";
    }
}
