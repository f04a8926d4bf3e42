package io.walrus.client;

import io.walrus.Arguments;
import io.walrus.Entry;
import io.walrus.WalrusConsumer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named consumer of a cluster: its cursors are replicated state, so it reads on from where it was
 * through whichever node leads, after any node fails. From {@link WalrusClient#consumer(String)}.
 */
public final class ClusterConsumer implements WalrusConsumer {
    private final WalrusClient client;
    private final String name;

    ClusterConsumer(WalrusClient client, String name) {
        this.client = client;
        this.name = Arguments.checkConsumerName(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint) throws IOException {
        return client.readNext(name, topic, checkpoint, Duration.ZERO);
    }

    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint, Duration timeout) throws IOException {
        return client.readNext(name, topic, checkpoint, timeout);
    }

    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint) throws IOException {
        return client.batchRead(name, topic, maxBytes, checkpoint, Duration.ZERO);
    }

    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException {
        return client.batchRead(name, topic, maxBytes, checkpoint, timeout);
    }

    @Override
    public String toString() {
        return "cluster consumer '" + name + "'";
    }
}
