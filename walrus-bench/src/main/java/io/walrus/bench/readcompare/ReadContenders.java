package io.walrus.bench.readcompare;

import io.walrus.StorageBackend;
import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.ChronicleQueueWriteTarget;
import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.KafkaLogWriteTarget;
import io.walrus.bench.target.MappedBufferWriteTarget;
import io.walrus.bench.target.RocksDbWriteTarget;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.writes.WritePhase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code bench-reads} reads: Walrus on both backends (the configured one first), each read three
 * ways, then each peer, every one on data its own write target wrote. {@code PEERS} picks the peers
 * ({@code none}: Walrus alone, as the benchmark was before it had peers).
 */
final class ReadContenders {
    static final String CHRONICLE = "chronicle";
    static final String KAFKA = "kafka-log";
    static final String ROCKSDB = "rocksdb";
    static final String FILECHANNEL = "filechannel";
    static final String MMAP = "mmap";
    /** A second row of the {@link #MMAP} data set: the walk checksumming every entry, as Walrus does. */
    static final String MMAP_VERIFYING = "mmap-crc32c";
    static final List<String> PEERS = List.of(CHRONICLE, KAFKA, ROCKSDB, FILECHANNEL, MMAP);
    static final String PEERS_VARIABLE = "PEERS";

    /** One row of the table: a way of reading a data set. */
    record Row(String name, String describe, ReadTarget.Opener opener, boolean peek) {
    }

    /** Entries written once by {@code writer} and read back by each of {@code rows}. */
    record DataSet(String name, WritePhase.TargetOpener writer, List<Row> rows) {
    }

    private ReadContenders() {
    }

    /** {@code walrus-fd-next}: a Walrus row's name. */
    static String walrusRow(StorageBackend backend, WalrusReadTarget.Mode mode) {
        return "walrus-" + backend.name().toLowerCase(Locale.ROOT) + "-" + mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The data sets for {@code peers} ({@link #PEERS_VARIABLE}'s value; null or blank for every peer,
     * {@code none} for none).
     *
     * @throws InvalidSettingException naming the first unknown peer
     */
    static List<DataSet> chosen(WorkloadConfig config, String peers) {
        Set<String> wanted = parsePeers(peers);
        List<DataSet> sets = new ArrayList<>();
        StorageBackend other = config.backend() == StorageBackend.FD ? StorageBackend.MMAP : StorageBackend.FD;
        sets.add(walrus(config, config.backend()));
        sets.add(walrus(config, other));
        for (String peer : PEERS) {
            if (wanted.contains(peer)) {
                sets.add(peer(config, peer));
            }
        }
        return sets;
    }

    static Set<String> parsePeers(String peers) {
        if (peers == null || peers.isBlank()) {
            return Set.copyOf(PEERS);
        }
        if (peers.trim().equals("none")) {
            return Set.of();
        }
        Set<String> wanted = new HashSet<>();
        for (String peer : peers.split(",")) {
            String name = peer.trim();
            if (!PEERS.contains(name)) {
                throw new InvalidSettingException(PEERS_VARIABLE, peers,
                        "none, or peers separated by commas, from " + String.join(", ", PEERS));
            }
            wanted.add(name);
        }
        return wanted;
    }

    private static DataSet walrus(WorkloadConfig config, StorageBackend backend) {
        WorkloadConfig onBackend = WalrusReadTarget.withBackend(config, backend);
        List<Row> rows = new ArrayList<>();
        for (WalrusReadTarget.Mode mode : WalrusReadTarget.Mode.values()) {
            String name = walrusRow(backend, mode);
            // A consumer per row and cache state: each reads the whole log from its first entry.
            rows.add(new Row(name, mode.describe,
                    directory -> WalrusReadTarget.open(directory, config, backend, mode,
                            "bench-" + name + "-" + Long.toHexString(System.nanoTime())),
                    mode == WalrusReadTarget.Mode.PEEK));
        }
        return new DataSet("walrus-" + backend.name().toLowerCase(Locale.ROOT),
                directory -> WalrusWriteTarget.open(directory, onBackend), rows);
    }

    private static DataSet peer(WorkloadConfig config, String peer) {
        return switch (peer) {
            case CHRONICLE -> new DataSet(peer, directory -> ChronicleQueueWriteTarget.open(directory, config.fsync()),
                    List.of(new Row(peer, "tailer readingDocument(), copy to a reused array",
                            directory -> ChronicleTailerReadTarget.open(directory, config.fsync()), false)));
            case KAFKA -> new DataSet(peer, directory -> KafkaLogWriteTarget.open(directory, config.fsync()),
                    List.of(new Row(peer, "UnifiedLog.read of 64 KiB, each record's value copied out",
                            directory -> KafkaLogReadTarget.open(directory, config.fsync()), false)));
            case ROCKSDB -> new DataSet(peer, directory -> RocksDbWriteTarget.open(directory, config.fsync()),
                    List.of(new Row(peer, "iterator value() + next() over SST files",
                            RocksDbIteratorReadTarget::open, false)));
            case FILECHANNEL -> new DataSet(peer, directory -> FileChannelWriteTarget.open(directory, config.fsync()),
                    List.of(new Row(peer, "pread of 64 KiB windows, payloads copied out",
                            FileChannelReadTarget::open, false)));
            case MMAP -> new DataSet(peer, directory -> MappedBufferWriteTarget.open(directory, config.fsync()),
                    List.of(new Row(peer, "MappedByteBuffer walk, payloads copied out",
                            MappedBufferReadTarget::open, false),
                            new Row(MMAP_VERIFYING, "the same walk, a CRC32C of each payload first",
                                    MappedBufferReadTarget::verifying, false)));
            default -> throw new IllegalArgumentException("no peer named '" + peer + "'");
        };
    }
}
