package io.walrus.bench.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BrokerPropertiesTest {
    private static final List<BrokerProperties.Endpoint> THREE = List.of(
            new BrokerProperties.Endpoint(1, 9001, 9101),
            new BrokerProperties.Endpoint(2, 9002, 9102),
            new BrokerProperties.Endpoint(3, 9003, 9103));

    @Test
    void everyBrokerIsAlsoOneOfThreeControllerVotersOnLoopback() {
        Properties second = BrokerProperties.of(THREE.get(1), THREE, Path.of("/data/broker-2"));

        assertEquals("broker,controller", second.getProperty("process.roles"));
        assertEquals("2", second.getProperty("node.id"));
        assertEquals("1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103",
                second.getProperty("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102", second.getProperty("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:9002", second.getProperty("advertised.listeners"));
        assertEquals("/data/broker-2", second.getProperty("log.dirs"));
    }

    @Test
    void topicsDefaultToThreeReplicasTwoOfThemInSyncAndKafkasOwnFlushing() {
        Properties first = BrokerProperties.of(THREE.get(0), THREE, Path.of("/data/broker-1"));

        assertEquals("3", first.getProperty("default.replication.factor"));
        assertEquals("2", first.getProperty("min.insync.replicas"));
        assertFalse(first.stringPropertyNames().stream().anyMatch(name -> name.startsWith("log.flush")),
                "the brokers flush as Kafka ships them: " + first);
    }
}
