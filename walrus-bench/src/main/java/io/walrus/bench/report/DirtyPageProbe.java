package io.walrus.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads how much written data the kernel still holds in memory ({@code Dirty}) and is writing out
 * ({@code Writeback}) from {@code /proc/meminfo}. Throughput without fsync is mostly the speed of
 * filling the page cache; these two numbers show when the kernel starts throttling writers.
 */
public final class DirtyPageProbe {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    /** Kilobytes of dirty and under-writeback page cache at one moment. */
    public record DirtyPages(long dirtyKb, long writebackKb) {
    }

    private final boolean available = Files.isReadable(MEMINFO);

    /** Whether this system has {@code /proc/meminfo} (Linux); when not, {@link #read()} gives null. */
    public boolean available() {
        return available;
    }

    /** The current figures, or null when they cannot be read. */
    public DirtyPages read() {
        if (!available) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(MEMINFO);
            long dirty = -1;
            long writeback = -1;
            for (String line : lines) {
                if (line.startsWith("Dirty:")) {
                    dirty = kilobytes(line);
                } else if (line.startsWith("Writeback:")) {
                    writeback = kilobytes(line);
                }
            }
            return dirty < 0 || writeback < 0 ? null : new DirtyPages(dirty, writeback);
        } catch (IOException | RuntimeException unreadable) {
            return null; // a figure missing from one line of the report is no reason to stop a run
        }
    }

    /** {@code "Dirty:            1234 kB"} gives 1234. */
    private static long kilobytes(String line) {
        String[] fields = line.trim().split("\\s+");
        return Long.parseLong(fields[1]);
    }
}
