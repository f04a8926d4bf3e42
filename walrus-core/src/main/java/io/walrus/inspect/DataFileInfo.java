package io.walrus.inspect;

import java.time.Instant;
import java.util.Optional;

/**
 * A data file as found on disk.
 *
 * @param name         the file's name, e.g. {@code 00000000000000000003.wal}
 * @param fileSequence the number in its name
 * @param sizeBytes    its length on disk (data files are preallocated, so this is the full size)
 * @param readable     whether its header verifies; if not, the other fields are 0 and recovery
 *                     would move the file aside
 * @param blockSize    bytes per block, from its header
 * @param blockCount   blocks in the file
 * @param blocksUsed   blocks up to the last one handed out to a topic
 * @param created      when the file was created, from its header; empty when unreadable
 */
public record DataFileInfo(String name, long fileSequence, long sizeBytes, boolean readable, int blockSize,
                           int blockCount, int blocksUsed, Optional<Instant> created) {
}
