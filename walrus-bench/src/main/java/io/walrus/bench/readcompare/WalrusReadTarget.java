package io.walrus.bench.readcompare;

import io.walrus.Consumer;
import io.walrus.Entry;
import io.walrus.EntryVisitor;
import io.walrus.StorageBackend;
import io.walrus.Walrus;
import io.walrus.WalrusConsumer;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.WalrusWriteTarget;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Walrus reopened on what its write phase left, read one of three ways through a named consumer of
 * its own, created at the earliest entry, so every row reads the whole log whatever the rows before
 * it consumed (a named consumer's reads are the default consumer's code on its own cursors):
 * {@code readNext(topic, true)}, {@code readNext(topic, false)} (a peek: the head entry again and
 * again), {@code batchReadForTopic(topic, 64 KiB, true)} or its zero-copy form
 * {@code visitBatchForTopic(topic, 64 KiB, true, visitor)}, whose visitor copies each payload into an
 * array it reuses, as the Chronicle row's reader does.
 */
final class WalrusReadTarget implements ReadTarget {
    /** How a row reads. */
    enum Mode {
        NEXT("readNext, checkpoint"),
        PEEK("readNext, peek"),
        BATCH("batchReadForTopic 64 KiB, checkpoint"),
        VISIT("visitBatchForTopic 64 KiB, checkpoint, copy to a reused array");

        final String describe;

        Mode(String describe) {
            this.describe = describe;
        }
    }

    static final long BATCH_MAX_BYTES = 64 << 10;

    private final Walrus walrus;
    private final Consumer consumer;
    private final Mode mode;

    private WalrusReadTarget(Walrus walrus, Consumer consumer, Mode mode) {
        this.walrus = walrus;
        this.consumer = consumer;
        this.mode = mode;
    }

    /**
     * Walrus on {@code directory} with the benchmarks' settings and {@code backend}, reading through the
     * new consumer {@code consumerName}.
     */
    static WalrusReadTarget open(Path directory, WorkloadConfig config, StorageBackend backend, Mode mode,
                                 String consumerName) throws IOException {
        Walrus walrus = WalrusWriteTarget.openWalrus(directory, withBackend(config, backend));
        try {
            return new WalrusReadTarget(walrus, walrus.consumer(consumerName), mode);
        } catch (IOException | RuntimeException e) {
            walrus.close();
            throw e;
        }
    }

    static WorkloadConfig withBackend(WorkloadConfig config, StorageBackend backend) {
        return new WorkloadConfig(config.fsync(), config.threads(), config.duration(), config.batchSize(), backend,
                config.dataDir(), config.rounds());
    }

    @Override
    public Reader reader(int topic) {
        String name = WalrusWriteTarget.topicOf(topic);
        return switch (mode) {
            case NEXT -> new NextReader(consumer, name, true);
            case PEEK -> new NextReader(consumer, name, false);
            case BATCH -> new BatchReader(consumer, name);
            case VISIT -> new VisitReader(consumer, name);
        };
    }

    @Override
    public void close() throws IOException {
        walrus.close();
    }

    private static final class NextReader extends CountingReader {
        private final WalrusConsumer consumer;
        private final String topic;
        private final boolean checkpoint;

        NextReader(WalrusConsumer consumer, String topic, boolean checkpoint) {
            this.consumer = consumer;
            this.topic = topic;
            this.checkpoint = checkpoint;
        }

        @Override
        public int read() throws IOException {
            Optional<Entry> entry = consumer.readNext(topic, checkpoint);
            if (entry.isEmpty()) {
                return 0;
            }
            int length = entry.get().data().length;
            bytes += length;
            returned += EntryFootprint.readNextResult(length);
            return 1;
        }
    }

    private static final class BatchReader extends CountingReader {
        private final WalrusConsumer consumer;
        private final String topic;

        BatchReader(WalrusConsumer consumer, String topic) {
            this.consumer = consumer;
            this.topic = topic;
        }

        @Override
        public int read() throws IOException {
            List<Entry> entries = consumer.batchReadForTopic(topic, BATCH_MAX_BYTES, true);
            int count = entries.size();
            if (count > 0) {
                returned += EntryFootprint.batchList(count);
            }
            for (int i = 0; i < count; i++) {
                int length = entries.get(i).data().length;
                bytes += length;
                returned += EntryFootprint.batchEntry(length);
            }
            return count;
        }
    }

    /**
     * The zero-copy batch read: each payload copied into one array the reader keeps, exactly what the
     * Chronicle row's reader does with an excerpt; nothing is handed out, so nothing is "returned".
     */
    private static final class VisitReader extends CountingReader implements EntryVisitor {
        private final Consumer consumer;
        private final String topic;
        private final byte[] payload = new byte[64 << 10];

        VisitReader(Consumer consumer, String topic) {
            this.consumer = consumer;
            this.topic = topic;
        }

        @Override
        public int read() throws IOException {
            return consumer.visitBatchForTopic(topic, BATCH_MAX_BYTES, true, this);
        }

        @Override
        public void visit(long sequence, ByteBuffer entry) {
            int length = entry.remaining();
            entry.get(payload, 0, length);
            bytes += length;
        }
    }
}
