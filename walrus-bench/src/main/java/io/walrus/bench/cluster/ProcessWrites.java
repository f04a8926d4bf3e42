package io.walrus.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Bytes a set of processes caused to be written to storage, as the kernel counts them
 * ({@code write_bytes} in {@code /proc/<pid>/io}: counted when a page is dirtied, so it includes
 * what is still in the page cache and not yet written back).
 */
final class ProcessWrites {
    private static final String FIELD = "write_bytes:";

    private ProcessWrites() {
    }

    /** The sum over {@code pids} so far; -1 where the kernel does not say for one of them. */
    static long total(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            try {
                long bytes = -1;
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                    if (line.startsWith(FIELD)) {
                        bytes = Long.parseLong(line.substring(FIELD.length()).strip());
                    }
                }
                if (bytes < 0) {
                    return -1;
                }
                total += bytes;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return total;
    }
}
