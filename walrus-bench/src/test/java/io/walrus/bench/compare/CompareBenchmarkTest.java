package io.walrus.bench.compare;

import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.config.WorkloadConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareBenchmarkTest {

    @Test
    void evenRoundsRunTheContendersInReverse() {
        List<Contender> contenders = List.of(new Contender("walrus", null), new Contender("rocksdb", null),
                new Contender("mmap", null));

        assertEquals(List.of("walrus", "rocksdb", "mmap"), names(CompareBenchmark.inRoundOrder(contenders, 1)));
        assertEquals(List.of("mmap", "rocksdb", "walrus"), names(CompareBenchmark.inRoundOrder(contenders, 2)));
    }

    @Test
    void fileNamesSayTheFsyncModeThreadsAndBatchSize() {
        assertEquals("no-fsync-2t", CompareBenchmark.fileTag(config(Map.of("FSYNC", "no-fsync"))));
        assertEquals("sync-each-4t", CompareBenchmark.fileTag(config(Map.of("FSYNC", "sync-each", "THREADS", "4"))));
        assertEquals("1000ms-1t-batch64",
                CompareBenchmark.fileTag(config(Map.of("THREADS", "1", "WALRUS_BATCH_SIZE", "64"))));
    }

    @Test
    void walrusComesFirstSoEveryRatioHasItsReference() {
        List<Contender> contenders = Contenders.all(config(Map.of()));

        assertEquals(List.of("walrus", "chronicle", "rocksdb", "kafka-log", "filechannel", "mmap"),
                names(contenders));
    }

    @Test
    void peersPicksWhichPeersRunBesideWalrusAndRejectsAnUnknownName() {
        WorkloadConfig config = config(Map.of());

        assertEquals(List.of("walrus", "chronicle", "mmap"), names(Contenders.chosen(config, "mmap, chronicle")));
        assertEquals(6, Contenders.chosen(config, " ").size());
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> Contenders.chosen(config, "chronicle,lmdb"));
        assertEquals("PEERS", e.variable());
        assertTrue(e.getMessage().contains("kafka-log"), e.getMessage());
    }

    private static WorkloadConfig config(Map<String, String> environment) {
        return WorkloadConfig.fromEnvironment(environment);
    }

    private static List<String> names(List<Contender> contenders) {
        return contenders.stream().map(Contender::name).toList();
    }
}
