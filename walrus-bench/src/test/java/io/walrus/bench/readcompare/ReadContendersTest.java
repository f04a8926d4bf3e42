package io.walrus.bench.readcompare;

import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.config.WorkloadConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadContendersTest {

    @Test
    void walrusComesFirstOnTheConfiguredBackendThenTheOtherThenEveryPeer() {
        List<ReadContenders.DataSet> sets = ReadContenders.chosen(config("mmap"), null);

        assertEquals(List.of("walrus-mmap", "walrus-fd", "chronicle", "kafka-log", "rocksdb", "filechannel", "mmap"),
                sets.stream().map(ReadContenders.DataSet::name).toList());
        assertEquals(List.of("walrus-mmap-next", "walrus-mmap-peek", "walrus-mmap-batch", "walrus-mmap-visit"),
                sets.getFirst().rows().stream().map(ReadContenders.Row::name).toList());
        assertTrue(sets.getFirst().rows().get(1).peek());
        assertEquals(List.of("mmap", "mmap-crc32c"), sets.getLast().rows().stream().map(ReadContenders.Row::name).toList());
    }

    @Test
    void peersPicksSomeOrNone() {
        assertEquals(List.of("walrus-fd", "walrus-mmap", "chronicle", "filechannel"),
                names(ReadContenders.chosen(config("fd"), "filechannel, chronicle")));
        assertEquals(List.of("walrus-fd", "walrus-mmap"), names(ReadContenders.chosen(config("fd"), "none")));
    }

    @Test
    void anUnknownPeerIsRefusedByName() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ReadContenders.chosen(config("fd"), "chronicle,lmdb"));
        assertEquals("PEERS", e.variable());
    }

    private static WorkloadConfig config(String backend) {
        return WorkloadConfig.fromEnvironment(Map.of("BACKEND", backend));
    }

    private static List<String> names(List<ReadContenders.DataSet> sets) {
        return sets.stream().map(ReadContenders.DataSet::name).toList();
    }
}
