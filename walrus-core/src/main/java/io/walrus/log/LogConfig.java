package io.walrus.log;

import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;

import java.nio.file.Path;

/**
 * What an instance was opened with.
 *
 * @param directory     the instance directory (data files, cursors, lock)
 * @param persistEvery  cursor saves per checkpoints: 1 is strictly-at-once
 * @param flush         the fsync schedule
 * @param mmap          whether the mmap backend was chosen ({@code files} is then {@code DataFiles.MMAP})
 * @param blockSize     block size of new data files
 * @param blocksPerFile blocks per new data file
 * @param fileLanes     data files filled at once (topics are spread over them)
 * @param files         how data files are opened
 * @param reclaimIntervalMillis how often consumed files are looked for and deleted; 0: only when asked
 *                      ({@link WriteAheadLog#reclaimConsumedFiles()})
 */
public record LogConfig(Path directory, int persistEvery, FlushPolicy.Kind flush, boolean mmap, int blockSize,
                        int blocksPerFile, int fileLanes, DataFiles files, long reclaimIntervalMillis) {
    /** Deletion of consumed files every second. */
    public static final long DEFAULT_RECLAIM_INTERVAL_MILLIS = 1000;

    public LogConfig(Path directory, int persistEvery, FlushPolicy.Kind flush, boolean mmap, int blockSize,
                     int blocksPerFile, int fileLanes, DataFiles files) {
        this(directory, persistEvery, flush, mmap, blockSize, blocksPerFile, fileLanes, files,
                DEFAULT_RECLAIM_INTERVAL_MILLIS);
    }
}
