package io.walrus.bench.cluster;

import io.walrus.bench.target.WriteTarget;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real brokers (child JVMs, KRaft) as bench-cluster starts them: the benchmark's topics are
 * on all three with min.insync.replicas=2, what the Kafka target's calls returned from is in the
 * log in order, and closing leaves no broker running.
 */
class KafkaBrokersTest {

    @Test
    void acknowledgedAppendsAreReplicatedThreeWaysAndClosingStopsEveryBroker(@TempDir Path directory)
            throws Exception {
        List<Long> pids;
        try (KafkaBrokers brokers = KafkaBrokers.start(directory.resolve("data"), directory.resolve("logs"), 3)) {
            pids = brokers.pids();
            brokers.createTopic("t", 2, ClusterPeers.KAFKA_FSYNC.topicConfigs());

            for (TopicPartitionInfo partition : brokers.describe("t")) {
                assertEquals(3, partition.replicas().size(), "replicas of " + partition);
                assertEquals(3, partition.isr().size(), "in-sync replicas of " + partition);
            }
            assertEquals(Map.of("min.insync.replicas", "2", "flush.messages", "1"),
                    topicConfigs(brokers.bootstrapServers(), "t", "min.insync.replicas", "flush.messages"));

            List<String> written = new ArrayList<>();
            try (Producer<byte[], byte[]> producer = KafkaClusterWriteTarget.openProducer(brokers.bootstrapServers());
                 KafkaClusterWriteTarget target = new KafkaClusterWriteTarget(producer, "t")) {
                WriteTarget.Appender appender = target.appender(1);
                appender.append(bytes("one"));
                appender.appendBatch(List.of(bytes("two"), bytes("three"), bytes("four")));
                written.addAll(List.of("one", "two", "three", "four"));
            }

            assertEquals(written, readAll(brokers.bootstrapServers(), new TopicPartition("t", 1), written.size()));
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker " + pid + " still runs");
        }
    }

    private static Map<String, String> topicConfigs(String bootstrap, String topic, String... names) throws Exception {
        Properties settings = new Properties();
        settings.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(settings)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            Map<String, String> values = new java.util.HashMap<>();
            for (String name : names) {
                values.put(name, config.get(name).value());
            }
            return values;
        }
    }

    private static List<String> readAll(String bootstrap, TopicPartition partition, int expected) {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < expected && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    read.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertTrue(read.size() >= expected, "read only " + read + " back");
        return read;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
