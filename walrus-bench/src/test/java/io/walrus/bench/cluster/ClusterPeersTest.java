package io.walrus.bench.cluster;

import io.walrus.bench.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPeersTest {

    @Test
    void unsetRunsKafkaWithItsDefaults() {
        assertEquals(List.of(ClusterPeers.KAFKA), ClusterPeers.parse(null));
        assertEquals(List.of(ClusterPeers.KAFKA), ClusterPeers.parse(" "));
        assertTrue(ClusterPeers.KAFKA.topicConfigs().isEmpty());
    }

    @Test
    void noneKeepsTheWalrusOnlyRun() {
        assertEquals(List.of(), ClusterPeers.parse("none"));
    }

    @Test
    void bothKafkaVariantsRunInTheOrderGivenAndTheFsyncOneFlushesEveryMessage() {
        assertEquals(List.of(ClusterPeers.KAFKA_FSYNC, ClusterPeers.KAFKA), ClusterPeers.parse("kafka-fsync, kafka"));
        assertEquals("1", ClusterPeers.KAFKA_FSYNC.topicConfigs().get("flush.messages"));
    }

    @Test
    void anUnknownPeerIsRefusedNamingTheVariableAndTheChoices() {
        InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                () -> ClusterPeers.parse("kafka,pulsar"));

        assertEquals("CLUSTER_PEERS=\"kafka,pulsar\" is not valid: expected none, or kafka, kafka-fsync separated"
                + " by commas", refused.getMessage());
    }
}
