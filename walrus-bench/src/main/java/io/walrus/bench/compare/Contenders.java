package io.walrus.bench.compare;

import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.ChronicleQueueWriteTarget;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.KafkaLogWriteTarget;
import io.walrus.bench.target.MappedBufferWriteTarget;
import io.walrus.bench.target.RocksDbWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;

import java.util.List;

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
