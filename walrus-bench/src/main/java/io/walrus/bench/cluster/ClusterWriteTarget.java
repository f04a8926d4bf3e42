package io.walrus.bench.cluster;

import io.walrus.bench.target.WriteTarget;
import io.walrus.client.GroupLayout;
import io.walrus.client.WalrusClient;

import java.io.IOException;
import java.util.List;

/**
 * Appends through a {@link WalrusClient}: one client shared by every writer, one topic per writer,
 * named {@code <prefix>topic_<n>} (or {@code <prefix>topic_<n>.<k>}) so phases on the same cluster do
 * not share topics. Writer {@code n}'s topic is in Raft group {@code n mod groups}, so the writers
 * spread evenly over the groups, as the many topics of an application would (a few names hashed
 * alone could fall into one group).
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
        String topic = topicOf(client.layout(), prefix + "topic_" + writerIndex, writerIndex);
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

    /** {@code name}, or the first {@code name.k} that is in group {@code writerIndex mod groups}. */
    static String topicOf(GroupLayout layout, String name, int writerIndex) {
        int group = writerIndex % layout.count();
        if (layout.groupOf(name) == group) {
            return name;
        }
        for (int k = 1; ; k++) {
            if (layout.groupOf(name + "." + k) == group) {
                return name + "." + k;
            }
        }
    }

    /** The client belongs to the benchmark, which closes it after its last phase. */
    @Override
    public void close() {
    }
}
