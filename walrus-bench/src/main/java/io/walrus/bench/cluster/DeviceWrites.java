package io.walrus.bench.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Bytes written to the block device that holds a directory, as the device's own counter says
 * ({@code /sys/dev/block/MAJOR:MINOR/stat}, sectors written): what reached the disk, from every
 * process on the machine. Each reading first runs {@code sync}, so what a phase left in the page
 * cache is counted in that phase and not in the next.
 *
 * <p>Not {@code write_bytes} of {@code /proc/<pid>/io}, which this benchmark read before: on its
 * machines (Linux 6.18, ext4) that counter gave the cluster's single appends about seven times what
 * the disk received, apparently charging a whole large page-cache folio each time a small fsync'd
 * write dirtied it again (BENCHMARKS.md, "Bytes to the disk").
 */
final class DeviceWrites {
    private static final int SECTOR_BYTES = 512;
    /** Field 7 of the block layer's stat file (1-based): sectors written. */
    private static final int SECTORS_WRITTEN_FIELD = 6;

    private final Path stat;

    private DeviceWrites(Path stat) {
        this.stat = stat;
    }

    /** The counter of the device {@code directory} is on; one that reads -1 where it has none (tmpfs, not Linux). */
    static DeviceWrites of(Path directory) {
        try {
            return new DeviceWrites(statFileOf((Long) Files.getAttribute(directory, "unix:dev")));
        } catch (IOException | RuntimeException e) {
            return new DeviceWrites(null);
        }
    }

    /** The block layer's stat file of device {@code device} (a {@code dev_t}, as glibc's gnu_dev_major/minor read it). */
    static Path statFileOf(long device) {
        long major = ((device >>> 8) & 0xfff) | ((device >>> 32) & 0xfffff000L);
        long minor = (device & 0xff) | ((device >>> 12) & 0xffffff00L);
        return Path.of("/sys/dev/block/" + major + ":" + minor + "/stat");
    }

    /** Bytes the device has written since it started, after a sync; -1 where it cannot be read. */
    long bytesSoFar() {
        if (stat == null || !Files.isReadable(stat)) {
            return -1;
        }
        try {
            sync();
            String[] fields = Files.readString(stat).trim().split("\\s+");
            return Long.parseLong(fields[SECTORS_WRITTEN_FIELD]) * SECTOR_BYTES;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void sync() throws IOException {
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
            sync.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!sync.waitFor(60, TimeUnit.SECONDS) || sync.exitValue() != 0) {
                throw new IOException("sync did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during sync", e);
        }
    }
}
