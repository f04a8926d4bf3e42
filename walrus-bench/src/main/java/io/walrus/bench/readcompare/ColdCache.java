package io.walrus.bench.readcompare;

import io.walrus.bench.iopaths.PageCacheEviction;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Takes a target's files out of the page cache, so the read that follows goes to the disk: each file
 * is fsynced (only clean pages can be dropped), then dropped whole with
 * {@code posix_fadvise(POSIX_FADV_DONTNEED)}, which needs no root. Pages mapped into a process are
 * not dropped: targets are opened first and evicted after, before any page is mapped in.
 */
final class ColdCache {

    private ColdCache() {
    }

    /** Evicts every regular file under {@code directory}; returns their total length. */
    static long evict(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        for (Path file : files) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.force(false);
                bytes += channel.size();
            }
            try (PageCacheEviction eviction = PageCacheEviction.of(file)) {
                eviction.evict(0, 0);
            }
        }
        return bytes;
    }
}
