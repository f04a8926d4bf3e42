package io.walrus.bench.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of one broker of a local KRaft cluster: every broker is also a
 * controller (combined roles), the controllers a fixed voter set, all on loopback. Only what a local
 * cluster must set is set; everything on the write path (flushing, batching, threads, replica
 * fetching) is Kafka's default, so the benchmark measures Kafka as it ships.
 */
final class BrokerProperties {
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Every topic's default, and the one the benchmark's topics set again explicitly. */
    static final int MIN_IN_SYNC_REPLICAS = 2;

    private BrokerProperties() {
    }

    /** Where one broker listens: clients and replicas on {@code brokerPort}, the quorum on {@code controllerPort}. */
    record Endpoint(int nodeId, int brokerPort, int controllerPort) {
        String bootstrapAddress() {
            return "127.0.0.1:" + brokerPort;
        }
    }

    /** The properties of {@code self}, one of {@code all}, keeping its log segments in {@code logDir}. */
    static Properties of(Endpoint self, List<Endpoint> all, Path logDir) {
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", Integer.toString(self.nodeId()));
        properties.setProperty("controller.quorum.voters", all.stream()
                .map(e -> e.nodeId() + "@127.0.0.1:" + e.controllerPort()).collect(Collectors.joining(",")));
        properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + self.brokerPort() + ","
                + CONTROLLER_LISTENER + "://127.0.0.1:" + self.controllerPort());
        properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + self.brokerPort());
        properties.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        properties.setProperty("default.replication.factor", Integer.toString(all.size()));
        properties.setProperty("min.insync.replicas", Integer.toString(MIN_IN_SYNC_REPLICAS));
        // The benchmark creates its topics itself; a mistyped name must fail, not make a new topic.
        properties.setProperty("auto.create.topics.enable", "false");
        return properties;
    }
}
