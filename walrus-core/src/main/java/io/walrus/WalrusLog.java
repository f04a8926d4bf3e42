package io.walrus;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operations of a Walrus log that work the same embedded or over the network: {@link Walrus}
 * (a log in this process) implements it, and so does {@code io.walrus.client.WalrusClient} (a log
 * replicated over a cluster of nodes). Code written against this interface moves from one to the
 * other by changing only how it opens the log.
 *
 * <pre>{@code
 * WalrusLog log = Walrus.open();                                          // embedded
 * WalrusLog log = WalrusClient.connect("127.0.0.1:6001,127.0.0.1:6002");   // clustered
 * log.appendForTopic("orders", bytes);
 * }</pre>
 *
 * <p>Every implementation checks its arguments the same way, before anything is written or sent:
 * {@code NullPointerException} for a null argument, {@code IllegalArgumentException} for an empty
 * topic, a batch of 0 or more than {@link Walrus#MAX_BATCH_ENTRIES} entries, a negative
 * {@code maxBytes} or timeout, a payload over {@link Walrus#MAX_ENTRY_BYTES}. What the storage or the
 * cluster refuses is an {@link IOException} that says why.
 */
public interface WalrusLog extends AutoCloseable {

    /** Appends one entry to the end of {@code topic}, creating the topic on first write. */
    void appendForTopic(String topic, byte[] data) throws IOException;

    /** Appends 1 to {@link Walrus#MAX_BATCH_ENTRIES} entries atomically: all of them or none. */
    void batchAppendForTopic(String topic, List<byte[]> batch) throws IOException;

    /**
     * The next entry of {@code topic} after the default consumer's cursor; with {@code checkpoint}
     * the cursor moves past it, without it this is a peek.
     */
    Optional<Entry> readNext(String topic, boolean checkpoint) throws IOException;

    /** As {@link #readNext(String, boolean)}, waiting up to {@code timeout} for an entry. */
    Optional<Entry> readNext(String topic, boolean checkpoint, Duration timeout) throws IOException;

    /**
     * Entries after the default consumer's cursor, until their payload bytes would exceed
     * {@code maxBytes} or {@link Walrus#MAX_BATCH_ENTRIES} are reached; at least one when one is available.
     */
    List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint) throws IOException;

    /** As {@link #batchReadForTopic(String, long, boolean)}, waiting up to {@code timeout} for a first entry. */
    List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException;

    /** The named consumer {@code name}, created (durably) if it does not exist, starting at the earliest entries. */
    WalrusConsumer consumer(String name) throws IOException;

    /** The names of the named consumers, sorted; the default consumer is not among them. */
    List<String> consumers() throws IOException;

    /** Removes the named consumer and its cursors; false if there was none of that name. */
    boolean removeConsumer(String name) throws IOException;

    /** Releases the log (files, or connections); afterwards every other method throws IllegalStateException. */
    @Override
    void close() throws IOException;
}
