package io.walrus.bench.readcompare;

import io.walrus.bench.target.RocksDbWriteTarget;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RocksDB's iterator over each column family {@link RocksDbWriteTarget} wrote (keys are the
 * big-endian sequence, so key order is write order): {@code seekToFirst()}, then {@code value()} and
 * {@code next()} per read. The database is reopened with default options and its memtables flushed
 * (setup, not timed), so the reads go through SST files as a reader behind a restart finds them, and
 * a cold read really reads from the disk.
 */
final class RocksDbIteratorReadTarget implements ReadTarget {
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnOptions;
    private final List<ColumnFamilyHandle> handles;
    private final List<RocksIterator> iterators = new ArrayList<>();

    private RocksDbIteratorReadTarget(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions columnOptions,
                                      List<ColumnFamilyHandle> handles) {
        this.db = db;
        this.dbOptions = dbOptions;
        this.columnOptions = columnOptions;
        this.handles = handles;
    }

    static RocksDbIteratorReadTarget open(Path directory) throws IOException {
        RocksDB.loadLibrary();
        DBOptions dbOptions = new DBOptions();
        ColumnFamilyOptions columnOptions = new ColumnFamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (Options options = new Options()) {
            List<ColumnFamilyDescriptor> families = new ArrayList<>();
            for (byte[] family : RocksDB.listColumnFamilies(options, directory.toString())) {
                families.add(new ColumnFamilyDescriptor(family, columnOptions));
            }
            RocksDB db = RocksDB.open(dbOptions, directory.toString(), families, handles);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            }
            return new RocksDbIteratorReadTarget(db, dbOptions, columnOptions, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            columnOptions.close();
            throw new IOException("reopening RocksDB in " + directory + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Reader reader(int topic) throws IOException {
        String name = RocksDbWriteTarget.columnFamilyOf(topic);
        for (ColumnFamilyHandle handle : handles) {
            try {
                if (new String(handle.getName(), java.nio.charset.StandardCharsets.UTF_8).equals(name)) {
                    RocksIterator iterator = db.newIterator(handle);
                    iterators.add(iterator);
                    iterator.seekToFirst();
                    return new IteratorReader(iterator);
                }
            } catch (RocksDBException e) {
                throw new IOException("reading RocksDB column family names failed", e);
            }
        }
        throw new IOException("RocksDB has no column family " + name);
    }

    @Override
    public void close() {
        iterators.forEach(RocksIterator::close);
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        dbOptions.close();
        columnOptions.close();
    }

    private static final class IteratorReader extends CountingReader {
        private final RocksIterator iterator;

        IteratorReader(RocksIterator iterator) {
            this.iterator = iterator;
        }

        @Override
        public int read() {
            if (!iterator.isValid()) {
                return 0;
            }
            byte[] value = iterator.value(); // the API's copy out of the block: a new array per entry
            bytes += value.length;
            returned += EntryFootprint.byteArray(value.length);
            iterator.next();
            return 1;
        }
    }
}
