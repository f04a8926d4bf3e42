package io.walrus.bench.readcompare;

import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.target.KafkaLogWriteTarget;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.server.storage.log.FetchIsolation;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.FetchDataInfo;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Kafka's log read as a fetch reads it, with no broker: each {@link UnifiedLog} that
 * {@link KafkaLogWriteTarget} wrote, reopened through the same settings (its indexes rebuilt), then
 * {@code UnifiedLog.read(offset, 64 KiB, LOG_END, minOneMessage)} from the first offset on; every
 * record of the returned {@code FileRecords} is iterated and its value copied into an array the
 * reader reuses. One read is one fetch of up to 64 KiB.
 */
final class KafkaLogReadTarget implements ReadTarget {
    static final int FETCH_MAX_BYTES = 64 << 10;

    private final Path directory;
    private final FsyncMode fsync;
    private final KafkaScheduler scheduler = new KafkaScheduler(1, true, "kafka-read-peer-");
    private final BrokerTopicStats topicStats = new BrokerTopicStats();
    private final List<UnifiedLog> logs = new CopyOnWriteArrayList<>();

    private KafkaLogReadTarget(Path directory, FsyncMode fsync) {
        this.directory = directory;
        this.fsync = fsync;
        scheduler.startup();
    }

    static KafkaLogReadTarget open(Path directory, FsyncMode fsync) {
        return new KafkaLogReadTarget(directory, fsync);
    }

    @Override
    public Reader reader(int topic) throws IOException {
        dropIndexes(KafkaLogWriteTarget.logDirOf(directory, topic));
        UnifiedLog log = KafkaLogWriteTarget.openLog(directory, topic, fsync, scheduler, topicStats);
        logs.add(log);
        return new FetchReader(log);
    }

    /**
     * Deletes the segment's offset and time indexes, so opening the log rebuilds them from the
     * segment, as a broker does after an unclean shutdown. The ones the write target's close leaves
     * are still their preallocated 10 MiB: reopened as they are (the log opened as after a clean
     * shutdown), every lookup found no entry past the segment's start and each fetch scanned the
     * segment from its first batch, 5 to 25 ms a fetch and growing with the offset.
     */
    private static void dropIndexes(Path logDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".index") || name.endsWith(".timeindex")) {
                    Files.delete(file);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (UnifiedLog log : logs) {
            log.close();
        }
        try {
            scheduler.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping Kafka's scheduler", e);
        }
        topicStats.close();
    }

    private static final class FetchReader extends CountingReader {
        private final UnifiedLog log;
        private final byte[] payload = new byte[64 << 10];
        private long offset;

        FetchReader(UnifiedLog log) {
            this.log = log;
            this.offset = log.logStartOffset();
        }

        @Override
        public int read() throws IOException {
            if (offset >= log.logEndOffset()) {
                return 0;
            }
            FetchDataInfo fetched = log.read(offset, FETCH_MAX_BYTES, FetchIsolation.LOG_END, true);
            int count = 0;
            for (RecordBatch batch : fetched.records.batches()) {
                for (Record record : batch) {
                    ByteBuffer value = record.value();
                    int length = value.remaining();
                    value.get(payload, 0, length);
                    bytes += length;
                    count++;
                }
                offset = batch.lastOffset() + 1;
            }
            return count;
        }
    }
}
