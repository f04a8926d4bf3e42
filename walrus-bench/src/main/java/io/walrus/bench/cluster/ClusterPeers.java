package io.walrus.bench.cluster;

import io.walrus.bench.config.InvalidSettingException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code CLUSTER_PEERS}: the replicated logs {@code bench-cluster} runs after the Walrus cluster, on
 * one 3-broker Kafka cluster, each on topics of its own: {@code kafka} (Kafka's defaults, which do not
 * fsync), {@code kafka-fsync} (topics with {@code flush.messages=1}, the per-topic form of
 * {@code log.flush.interval.messages=1}: every replica fsyncs each append before it acknowledges,
 * as the Walrus nodes do), both separated by commas, or {@code none}. Unset: {@code kafka}.
 */
enum ClusterPeers {
    KAFKA("kafka", Map.of(), "acks=all, min.insync.replicas=2, no fsync (Kafka's default: acknowledged once"
            + " in the page cache of every in-sync replica)"),
    KAFKA_FSYNC("kafka-fsync", Map.of("flush.messages", "1"), "acks=all, min.insync.replicas=2,"
            + " flush.messages=1 (each replica fsyncs every append before acknowledging it)");

    static final String VARIABLE = "CLUSTER_PEERS";
    static final List<ClusterPeers> DEFAULT = List.of(KAFKA);

    private final String label;
    private final Map<String, String> topicConfigs;
    private final String durability;

    ClusterPeers(String label, Map<String, String> topicConfigs, String durability) {
        this.label = label;
        this.topicConfigs = topicConfigs;
        this.durability = durability;
    }

    /** The row's name and the prefix of its phases and topics. */
    String label() {
        return label;
    }

    /** Topic-level settings of this peer's topics, beside replication factor 3 and min.insync.replicas=2. */
    Map<String, String> topicConfigs() {
        return topicConfigs;
    }

    /** When an acknowledged record is durable, for the report's heading. */
    String durability() {
        return durability;
    }

    /**
     * The peers {@code value} names, in the order given; {@link #DEFAULT} when unset or blank.
     *
     * @throws InvalidSettingException naming the value and what is accepted
     */
    static List<ClusterPeers> parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("none")) {
            return List.of();
        }
        List<ClusterPeers> peers = new ArrayList<>();
        for (String name : trimmed.split(",")) {
            ClusterPeers peer = Arrays.stream(values()).filter(p -> p.label.equals(name.trim())).findFirst()
                    .orElseThrow(() -> new InvalidSettingException(VARIABLE, value, "none, or "
                            + Arrays.stream(values()).map(ClusterPeers::label).collect(Collectors.joining(", "))
                            + " separated by commas"));
            if (!peers.contains(peer)) {
                peers.add(peer);
            }
        }
        return List.copyOf(peers);
    }
}
