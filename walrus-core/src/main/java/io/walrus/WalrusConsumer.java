package io.walrus;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named consumer of a {@link WalrusLog}: its own cursor on every topic. {@link Consumer} is the
 * embedded one; a cluster client hands out one whose cursors are replicated.
 */
public interface WalrusConsumer {

    String name();

    /** The next entry of {@code topic} after this consumer's cursor; a peek without {@code checkpoint}. */
    Optional<Entry> readNext(String topic, boolean checkpoint) throws IOException;

    /** As {@link #readNext(String, boolean)}, waiting up to {@code timeout} for an entry. */
    Optional<Entry> readNext(String topic, boolean checkpoint, Duration timeout) throws IOException;

    /** Entries after this consumer's cursor, as {@link WalrusLog#batchReadForTopic(String, long, boolean)}. */
    List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint) throws IOException;

    /** As {@link #batchReadForTopic(String, long, boolean)}, waiting up to {@code timeout} for a first entry. */
    List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException;
}
