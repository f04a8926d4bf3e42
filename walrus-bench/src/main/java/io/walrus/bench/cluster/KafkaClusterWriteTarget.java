package io.walrus.bench.cluster;

import io.walrus.bench.target.WriteTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Appends to a Kafka cluster as {@link ClusterWriteTarget} does to the Walrus cluster: one producer
 * shared by every writer (as one {@code WalrusClient} is), each writer on a partition of its own of
 * one topic (as each has a topic of its own there), and a call returns only once the brokers
 * acknowledged every record it sent: a single append is one {@code send} and its future; a batch
 * sends all its records, then waits for every one.
 */
final class KafkaClusterWriteTarget implements WriteTarget {
    private final Producer<byte[], byte[]> producer;
    private final String topic;

    /** Writer {@code n} writes partition {@code n} of {@code topic}, which has a partition per writer. */
    KafkaClusterWriteTarget(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * The producer the benchmark shares: {@code acks=all} (every in-sync replica, at least
     * {@code min.insync.replicas}), idempotent, and {@code linger.ms=0}: Kafka 4's default of 5 ms
     * holds a record back in case more come, which a writer waiting on its own record would pay on
     * every call, while the Walrus client sends at once. Everything else is Kafka's default.
     */
    static Properties producerSettings(String bootstrapServers) {
        Properties settings = new Properties();
        settings.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "bench-cluster");
        settings.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        settings.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        settings.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return settings;
    }

    static Producer<byte[], byte[]> openProducer(String bootstrapServers) {
        return new KafkaProducer<>(producerSettings(bootstrapServers));
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Appender appender(int writerIndex) {
        int partition = writerIndex;
        return new Appender() {
            /** Reused by every batch of this writer, which is one thread. */
            private final List<Future<RecordMetadata>> pending = new ArrayList<>();

            @Override
            public void append(byte[] payload) throws IOException {
                await(producer.send(new ProducerRecord<>(topic, partition, null, payload)));
            }

            @Override
            public void appendBatch(List<byte[]> payloads) throws IOException {
                pending.clear();
                for (byte[] payload : payloads) {
                    pending.add(producer.send(new ProducerRecord<>(topic, partition, null, payload)));
                }
                for (Future<RecordMetadata> acknowledged : pending) {
                    await(acknowledged);
                }
            }
        };
    }

    /** Waits for one record's acknowledgement; a record the brokers refused is an IOException. */
    private void await(Future<?> acknowledged) throws IOException {
        try {
            acknowledged.get();
        } catch (ExecutionException refused) {
            throw new IOException("Kafka did not acknowledge a record on " + topic + ": " + refused.getCause(),
                    refused.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Kafka's acknowledgement on " + topic);
        }
    }

    /** The producer belongs to the benchmark, which closes it after its last phase. */
    @Override
    public void close() {
    }
}
