package io.walrus.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Opens data files: the seam where a backend (or, in tests, a fault-injecting wrapper) is chosen. */
public interface DataFiles {

    /** Creates a new file preallocated to {@code length} bytes; fails if it exists. */
    DataFile create(Path path, long length) throws IOException;

    DataFile open(Path path) throws IOException;

    /** Positional reads and writes through {@link java.nio.channels.FileChannel}. */
    DataFiles CHANNEL = new DataFiles() {
        @Override
        public DataFile create(Path path, long length) throws IOException {
            return ChannelDataFile.create(path, length);
        }

        @Override
        public DataFile open(Path path) throws IOException {
            return ChannelDataFile.open(path, true);
        }
    };

    /** Whole-file shared mappings ({@link MappedDataFile}): writes and reads are copies, force is msync. */
    DataFiles MMAP = new DataFiles() {
        @Override
        public DataFile create(Path path, long length) throws IOException {
            return MappedDataFile.create(path, length);
        }

        @Override
        public DataFile open(Path path) throws IOException {
            return MappedDataFile.open(path);
        }
    };
}
