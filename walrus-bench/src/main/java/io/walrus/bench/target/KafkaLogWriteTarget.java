package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.CopyOnWriteMap;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogOffsetsListener;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kafka's log layer with no broker: one {@link UnifiedLog} (segments, offset and time indexes) per
 * writer, appended to as a partition leader appends a producer's batch. Every append is one record
 * batch, built the way a producer builds it ({@code MemoryRecords.withRecords}), so this measures
 * what a broker's log does per request, minus the network.
 *
 * <p>Durability is Kafka's own: {@code flush.messages=1} for sync-each (the log fsyncs its segment
 * after every append), nothing for no-fsync, and {@link UnifiedLog#flush(boolean)} on the interval.
 */
public final class KafkaLogWriteTarget implements WriteTarget {
    /** Segments as big as Walrus's data files, so neither rolls more often than the other. */
    private static final int SEGMENT_BYTES = 1 << 30;
    /** A batch of 2,000 entries of 1 KiB must pass the log's size check. */
    private static final int MAX_BATCH_BYTES = 64 << 20;
    private static final int PRODUCER_ID_EXPIRATION_MS = 24 * 60 * 60 * 1000;
    private static final int PRODUCER_ID_EXPIRATION_CHECK_MS = 10 * 60 * 1000;
    private static final int MAX_PRODUCER_ID_EXPIRATION_MS = 5 * 60 * 1000;

    private final Path directory;
    private final FsyncMode fsync;
    private final KafkaScheduler scheduler = new KafkaScheduler(1, true, "kafka-log-peer-");
    private final BrokerTopicStats topicStats = new BrokerTopicStats();
    private final PeriodicForcer forcer;
    private final List<UnifiedLog> logs = new CopyOnWriteArrayList<>();

    private KafkaLogWriteTarget(Path directory, FsyncMode fsync) {
        this.directory = directory;
        this.fsync = fsync;
        this.forcer = PeriodicForcer.of(fsync);
        scheduler.startup();
    }

    /** Kafka logs under {@code directory}, one sub-directory per writer. */
    public static KafkaLogWriteTarget open(Path directory, FsyncMode fsync) {
        return new KafkaLogWriteTarget(directory, fsync);
    }

    @Override
    public String name() {
        return "kafka-log";
    }

    @Override
    public Appender appender(int writerIndex) throws IOException {
        UnifiedLog log = openLog(directory, writerIndex, fsync, scheduler, topicStats);
        logs.add(log);
        forcer.register(() -> log.flush(false));
        return new LogAppender(log);
    }

    /**
     * Writer {@code writerIndex}'s log under {@code directory}, created or reopened (recovered as a
     * broker recovers it): the read comparison reads what this target wrote through the same settings.
     */
    public static UnifiedLog openLog(Path directory, int writerIndex, FsyncMode fsync, KafkaScheduler scheduler,
                                     BrokerTopicStats topicStats) throws IOException {
        return UnifiedLog.create(logDirOf(directory, writerIndex).toFile(), logConfig(fsync), 0L, 0L, scheduler, topicStats, Time.SYSTEM,
                MAX_PRODUCER_ID_EXPIRATION_MS, new ProducerStateManagerConfig(PRODUCER_ID_EXPIRATION_MS, false),
                PRODUCER_ID_EXPIRATION_CHECK_MS, new LogDirFailureChannel(1), true, Optional.empty(),
                new CopyOnWriteMap<>(), false, LogOffsetsListener.NO_OP_OFFSETS_LISTENER);
    }

    /** Writer {@code writerIndex}'s log directory under {@code directory}. */
    public static Path logDirOf(Path directory, int writerIndex) {
        // UnifiedLog reads the partition from the directory's name: <topic>-<partition>.
        return directory.resolve(WalrusWriteTarget.topicOf(writerIndex) + "-0");
    }

    private static LogConfig logConfig(FsyncMode fsync) {
        Properties properties = new Properties();
        properties.put(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES));
        properties.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_BATCH_BYTES));
        properties.put(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG,
                fsync.kind() == FsyncMode.Kind.SYNC_EACH ? "1" : Long.toString(Long.MAX_VALUE));
        return new LogConfig(properties);
    }

    /** Flushes every log, as a clean broker shutdown does, and closes them. */
    @Override
    public void close() throws IOException {
        IOException failure = forcer.stop();
        for (UnifiedLog log : logs) {
            try {
                log.flush(true);
                log.close();
            } catch (RuntimeException e) {
                failure = PeerFailures.add(failure, new IOException("closing Kafka log " + log.dir() + " failed", e));
            }
        }
        try {
            scheduler.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = PeerFailures.add(failure, new IOException("interrupted while stopping Kafka's scheduler", e));
        }
        topicStats.close();
        if (failure != null) {
            throw failure;
        }
    }

    private record LogAppender(UnifiedLog log) implements Appender {
        private static final int LEADER_EPOCH = 0;

        @Override
        public void append(byte[] payload) throws IOException {
            log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(payload)), LEADER_EPOCH);
        }

        @Override
        public void appendBatch(List<byte[]> payloads) throws IOException {
            SimpleRecord[] records = new SimpleRecord[payloads.size()];
            for (int i = 0; i < records.length; i++) {
                records[i] = new SimpleRecord(payloads.get(i));
            }
            log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, records), LEADER_EPOCH);
        }
    }
}
