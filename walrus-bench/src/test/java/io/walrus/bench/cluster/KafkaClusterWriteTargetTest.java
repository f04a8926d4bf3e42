package io.walrus.bench.cluster;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class KafkaClusterWriteTargetTest {

    @Test
    void theProducerWaitsForEveryInSyncReplicaIsIdempotentAndSendsAtOnce() {
        Properties settings = KafkaClusterWriteTarget.producerSettings("127.0.0.1:9092");

        assertEquals("all", settings.getProperty("acks"));
        assertEquals("true", settings.getProperty("enable.idempotence"));
        assertEquals("0", settings.getProperty("linger.ms"));
        assertFalse(settings.containsKey("batch.size"), "batching is Kafka's default");
        assertFalse(settings.containsKey("compression.type"), "compression is Kafka's default (none)");
    }
}
