package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RocksDB through rocksdbjni as a log: one database, one column family per writer's topic, each
 * entry a put under the topic's next sequence number (8 bytes, big-endian, so keys sort in append
 * order). The WAL is on, as a log needs; sync-each sets {@code WriteOptions.sync}, so every put
 * returns after the WAL is fsynced; the interval mode syncs the WAL from a background thread. The
 * rest is RocksDB's default configuration: memtables, flushes and compaction run as they would.
 */
public final class RocksDbWriteTarget implements WriteTarget {
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnOptions;
    private final List<ColumnFamilyHandle> handles;
    private final boolean syncEach;
    private final PeriodicForcer forcer;
    private final List<WriteOptions> writeOptions = new ArrayList<>();
    private final List<WriteBatch> batches = new ArrayList<>();

    private RocksDbWriteTarget(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions columnOptions,
                               List<ColumnFamilyHandle> handles, FsyncMode fsync) {
        this.db = db;
        this.dbOptions = dbOptions;
        this.columnOptions = columnOptions;
        this.handles = handles;
        this.syncEach = fsync.kind() == FsyncMode.Kind.SYNC_EACH;
        this.forcer = PeriodicForcer.of(fsync);
        forcer.register(() -> {
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                throw new IOException("RocksDB WAL sync failed", e);
            }
        });
    }

    /**
     * A database in {@code directory}. Loads the native library first, so a machine without it
     * fails here, before the clock starts.
     */
    public static RocksDbWriteTarget open(Path directory, FsyncMode fsync) throws IOException {
        RocksDB.loadLibrary();
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions columnOptions = new ColumnFamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, directory.toString(),
                    List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions)), handles);
            return new RocksDbWriteTarget(db, dbOptions, columnOptions, handles, fsync);
        } catch (RocksDBException e) {
            dbOptions.close();
            columnOptions.close();
            throw new IOException("opening RocksDB in " + directory + " failed: " + e.getMessage(), e);
        }
    }

    /** The column family writer {@code writerIndex} puts into: its topic's name. */
    public static String columnFamilyOf(int writerIndex) {
        return WalrusWriteTarget.topicOf(writerIndex);
    }

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public Appender appender(int writerIndex) throws IOException {
        try {
            byte[] family = columnFamilyOf(writerIndex).getBytes(StandardCharsets.UTF_8);
            ColumnFamilyHandle handle = db.createColumnFamily(new ColumnFamilyDescriptor(family, columnOptions));
            handles.add(handle);
            WriteOptions options = new WriteOptions().setSync(syncEach);
            writeOptions.add(options);
            WriteBatch batch = new WriteBatch();
            batches.add(batch);
            return new TopicAppender(db, handle, options, batch);
        } catch (RocksDBException e) {
            throw new IOException("creating RocksDB column family for writer " + writerIndex + " failed", e);
        }
    }

    /** Syncs the WAL once more, as Walrus's close makes every acknowledged write durable, then closes. */
    @Override
    public void close() throws IOException {
        IOException failure = forcer.stop();
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            failure = PeerFailures.add(failure, new IOException("RocksDB WAL sync at close failed", e));
        }
        batches.forEach(WriteBatch::close);
        writeOptions.forEach(WriteOptions::close);
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        dbOptions.close();
        columnOptions.close();
        if (failure != null) {
            throw failure;
        }
    }

    private static final class TopicAppender implements Appender {
        private final RocksDB db;
        private final ColumnFamilyHandle family;
        private final WriteOptions options;
        private final WriteBatch batch;
        /** Reused for every key: RocksDB copies it into the memtable and the WAL. */
        private final byte[] key = new byte[Long.BYTES];
        private long sequence;

        TopicAppender(RocksDB db, ColumnFamilyHandle family, WriteOptions options, WriteBatch batch) {
            this.db = db;
            this.family = family;
            this.options = options;
            this.batch = batch;
        }

        @Override
        public void append(byte[] payload) throws IOException {
            try {
                db.put(family, options, nextKey(), payload);
            } catch (RocksDBException e) {
                throw new IOException("RocksDB put failed", e);
            }
        }

        /** One {@link WriteBatch}: RocksDB's atomic multi-put, one WAL record for the lot. */
        @Override
        public void appendBatch(List<byte[]> payloads) throws IOException {
            try {
                batch.clear();
                for (int i = 0, n = payloads.size(); i < n; i++) {
                    batch.put(family, nextKey(), payloads.get(i));
                }
                db.write(options, batch);
            } catch (RocksDBException e) {
                throw new IOException("RocksDB batch write failed", e);
            }
        }

        private byte[] nextKey() {
            long value = sequence++;
            for (int i = Long.BYTES - 1; i >= 0; i--) {
                key[i] = (byte) value;
                value >>>= 8;
            }
            return key;
        }
    }
}
