package io.walrus.bench.cluster;

import io.walrus.bench.config.InvalidSettingException;
import io.walrus.client.GroupLayout;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterGroupCountsTest {

    @Test
    void unsetMeansOneGroupThenOnePerNode() {
        assertEquals(List.of(1, 3), ClusterGroupCounts.parse(null));
        assertEquals(List.of(1, 3), ClusterGroupCounts.parse(" "));
    }

    @Test
    void countsAreTakenInTheOrderGivenEachOnce() {
        assertEquals(List.of(3, 1, 6), ClusterGroupCounts.parse("3, 1,6,3"));
        assertEquals(List.of(64), ClusterGroupCounts.parse("64"));
    }

    @Test
    void countsOutsideOneToSixtyFourOrNotNumbersAreRefusedNamingTheVariable() {
        for (String bad : List.of("0", "65", "1,x", "-1", "1;3")) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> ClusterGroupCounts.parse(bad));
            assertEquals("CLUSTER_GROUPS", e.variable());
            assertTrue(e.getMessage().contains("from 1 to 64"), e.getMessage());
        }
    }

    @Test
    void writerTopicsSpreadEvenlyOverTheGroups() {
        GroupLayout layout = new GroupLayout("walrus", 3);
        int[] perGroup = new int[3];
        for (int writer = 0; writer < 12; writer++) {
            String topic = ClusterWriteTarget.topicOf(layout, "single-topic_" + writer, writer);
            assertEquals(writer % 3, layout.groupOf(topic), topic);
            assertTrue(topic.startsWith("single-topic_" + writer), topic);
            perGroup[layout.groupOf(topic)]++;
        }
        assertEquals(List.of(4, 4, 4), List.of(perGroup[0], perGroup[1], perGroup[2]));
        assertEquals("t_0", ClusterWriteTarget.topicOf(new GroupLayout("walrus", 1), "t_0", 0), "one group: the name itself");
    }
}
