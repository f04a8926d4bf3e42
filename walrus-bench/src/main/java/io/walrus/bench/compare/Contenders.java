package io.walrus.bench.compare;

import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.ChronicleQueueWriteTarget;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.KafkaLogWriteTarget;
import io.walrus.bench.target.MappedBufferWriteTarget;
import io.walrus.bench.target.RocksDbWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Everything {@code bench-compare} runs, Walrus first, each with the run's fsync mode. */
final class Contenders {
    static final String WALRUS = "walrus";
    static final String CHRONICLE = "chronicle";
    static final String ROCKSDB = "rocksdb";
    static final String KAFKA = "kafka-log";
    static final String FILECHANNEL = "filechannel";
    static final String MMAP = "mmap";

    private Contenders() {
    }

    /** Environment variable: the peers to run beside Walrus, comma-separated (unset: all of them). */
    static final String PEERS_VARIABLE = "PEERS";

    /**
     * Walrus and the peers {@code peers} names ({@link #PEERS_VARIABLE}'s value; null or blank for
     * all), in the usual order.
     *
     * @throws InvalidSettingException naming the first unknown peer
     */
    static List<Contender> chosen(WorkloadConfig config, String peers) {
        List<Contender> all = all(config);
        if (peers == null || peers.isBlank()) {
            return all;
        }
        List<String> known = all.stream().map(Contender::name).filter(name -> !name.equals(WALRUS)).toList();
        Set<String> wanted = new HashSet<>();
        for (String peer : peers.split(",")) {
            String name = peer.trim();
            if (!known.contains(name)) {
                throw new InvalidSettingException(PEERS_VARIABLE, peers,
                        "peers separated by commas, from " + String.join(", ", known));
            }
            wanted.add(name);
        }
        return all.stream().filter(c -> c.name().equals(WALRUS) || wanted.contains(c.name())).toList();
    }

    static List<Contender> all(WorkloadConfig config) {
        return List.of(
                new Contender(WALRUS, directory -> WalrusWriteTarget.open(directory, config)),
                new Contender(CHRONICLE, directory -> ChronicleQueueWriteTarget.open(directory, config.fsync())),
                new Contender(ROCKSDB, directory -> RocksDbWriteTarget.open(directory, config.fsync())),
                new Contender(KAFKA, directory -> KafkaLogWriteTarget.open(directory, config.fsync())),
                new Contender(FILECHANNEL, directory -> FileChannelWriteTarget.open(directory, config.fsync())),
                new Contender(MMAP, directory -> MappedBufferWriteTarget.open(directory, config.fsync())));
    }
}
