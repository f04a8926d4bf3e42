package io.walrus.bench.target;

import io.walrus.ReadConsistency;
import io.walrus.Walrus;
import io.walrus.WalrusStats;
import io.walrus.bench.config.FileLanes;
import io.walrus.bench.config.WorkloadConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Appends through the public Walrus API, one topic per writer ({@code topic_0}, {@code topic_1}, ...), as the original does. */
public final class WalrusWriteTarget implements WriteTarget {
    /** The original benchmark's consistency; writes never move a cursor, so it only matters for parity. */
    private static final int PERSIST_EVERY = 5000;

    private final Walrus walrus;

    private WalrusWriteTarget(Walrus walrus) {
        this.walrus = walrus;
    }

    /** Opens Walrus on {@code directory} with the configuration's fsync mode and backend. */
    public static WalrusWriteTarget open(Path directory, WorkloadConfig config) throws IOException {
        return new WalrusWriteTarget(openWalrus(directory, config));
    }

    /**
     * Walrus on {@code directory} as the benchmarks configure it. The read benchmark opens its read
     * phase through this too, so both phases run with the same settings.
     */
    public static Walrus openWalrus(Path directory, WorkloadConfig config) throws IOException {
        Walrus.Builder builder = Walrus.builder()
                .dataDir(directory)
                .consistency(ReadConsistency.atLeastOnce(PERSIST_EVERY))
                .fsync(config.fsync().toSchedule())
                .backend(config.backend());
        FileLanes.fromEnvironment(System.getenv()).ifPresent(builder::fileLanes);
        return builder.open();
    }

    /** The topic writer {@code writerIndex} owns. */
    public static String topicOf(int writerIndex) {
        return "topic_" + writerIndex;
    }

    @Override
    public String name() {
        return "walrus";
    }

    @Override
    public Appender appender(int writerIndex) {
        return new TopicAppender(walrus, topicOf(writerIndex));
    }

    /** The instance's counters (fsyncs among them); call before {@link #close()}. */
    public WalrusStats stats() {
        return walrus.stats();
    }

    @Override
    public void close() throws IOException {
        walrus.close();
    }

    private record TopicAppender(Walrus walrus, String topic) implements Appender {
        @Override
        public void append(byte[] payload) throws IOException {
            walrus.appendForTopic(topic, payload);
        }

        @Override
        public void appendBatch(List<byte[]> payloads) throws IOException {
            walrus.batchAppendForTopic(topic, payloads);
        }
    }
}
