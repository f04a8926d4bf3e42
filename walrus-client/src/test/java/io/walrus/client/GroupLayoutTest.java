package io.walrus.client;

import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupLayoutTest {

    @Test
    void aOneGroupClusterKeepsTheGroupIdOfClustersFromBeforeThereWereSeveral() {
        assertEquals(ClusterSettings.groupId("walrus"), new GroupLayout("walrus", 1).id(0));
    }

    @Test
    void everyGroupOfEveryCountHasItsOwnId() {
        Set<RaftGroupId> ids = new HashSet<>();
        int total = 0;
        for (int count = 1; count <= GroupLayout.MAX_GROUPS; count++) {
            GroupLayout layout = new GroupLayout("walrus", count);
            for (int i = 0; i < count; i++) {
                ids.add(layout.id(i));
                total++;
            }
        }
        assertEquals(total, ids.size());
        assertTrue(!ids.contains(new GroupLayout("other", 3).id(0)), "another cluster's name gives other ids");
    }

    @Test
    void anyOneGroupIdTellsTheLayoutItBelongsTo() {
        GroupLayout layout = new GroupLayout("walrus", 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.of(layout), GroupLayout.of("walrus", layout.id(i)));
            assertEquals(i, layout.indexOf(layout.id(i)));
        }
        assertEquals(Optional.empty(), GroupLayout.of("walrus", new GroupLayout("other", 5).id(2)));
        assertEquals(-1, layout.indexOf(new GroupLayout("walrus", 4).id(0)));
        assertEquals(Optional.of(layout), GroupLayout.of("walrus",
                List.of(new GroupLayout("other", 2).id(1), layout.id(3))), "ids of other clusters are passed over");
    }

    /**
     * The placement is part of the wire contract (a node refuses a topic of another group), so it is
     * pinned: 32-bit FNV-1a of the UTF-8 bytes, unsigned, modulo the count.
     */
    @Test
    void topicsArePlacedByFnv1aOfTheirUtf8Bytes() {
        GroupLayout three = new GroupLayout("walrus", 3);
        assertEquals(2, three.groupOf("orders"), "FNV-1a 0x325e96ec");
        // Hashes with the top bit set count as unsigned: a signed remainder would give 0, 1 and 2.
        assertEquals(1, three.groupOf("a"), "FNV-1a 0xe40c292c");
        assertEquals(2, three.groupOf("c"), "FNV-1a 0xe60c2c52");
        assertEquals(0, three.groupOf("audit"), "FNV-1a 0xf5615aa8");
        GroupLayout sixtyFour = new GroupLayout("walrus", 64);
        for (String topic : List.of("a", "orders", "événements", "x".repeat(300))) {
            int group = sixtyFour.groupOf(topic);
            assertTrue(group >= 0 && group < 64, topic + " -> " + group);
            assertEquals(group % 2, new GroupLayout("walrus", 2).groupOf(topic), "2 divides 64: " + topic);
        }
        assertEquals(0, new GroupLayout("walrus", 1).groupOf("anything"));
    }

    @Test
    void manyTopicsSpreadOverEveryGroup() {
        GroupLayout layout = new GroupLayout("walrus", 3);
        int[] perGroup = new int[3];
        for (int i = 0; i < 3000; i++) {
            perGroup[layout.groupOf("topic-" + i)]++;
        }
        for (int group = 0; group < 3; group++) {
            assertTrue(perGroup[group] > 800, "group " + group + " got " + perGroup[group] + " of 3000 topics");
        }
    }

    @Test
    void countsOutsideOneToSixtyFourAndBadTopicsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GroupLayout("walrus", 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupLayout("walrus", 65));
        assertThrows(NullPointerException.class, () -> new GroupLayout(null, 1));
        GroupLayout layout = new GroupLayout("walrus", 3);
        assertThrows(IllegalArgumentException.class, () -> layout.groupOf(""));
        assertThrows(NullPointerException.class, () -> layout.groupOf(null));
        assertThrows(IndexOutOfBoundsException.class, () -> layout.id(3));
    }
}
