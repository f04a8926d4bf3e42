package io.walrus.bench.cluster;

import io.walrus.bench.target.WriteTarget;
import io.walrus.client.WalrusClient;

import java.io.IOException;
import java.util.List;

/**
 * Appends through a {@link WalrusClient}: one client shared by every writer, one topic per writer,
 * named {@code <prefix>topic_<n>} so phases on the same cluster do not share topics.
 */
final class ClusterWriteTarget implements WriteTarget {
    private final WalrusClient client;
    private final String prefix;

    ClusterWriteTarget(WalrusClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public Appender appender(int writerIndex) {
        String topic = prefix + "topic_" + writerIndex;
        return new Appender() {
            @Override
            public void append(byte[] payload) throws IOException {
                client.appendForTopic(topic, payload);
            }

            @Override
            public void appendBatch(List<byte[]> payloads) throws IOException {
                client.batchAppendForTopic(topic, payloads);
            }
        };
    }

    /** The client belongs to the benchmark, which closes it after its last phase. */
    @Override
    public void close() {
    }
}
