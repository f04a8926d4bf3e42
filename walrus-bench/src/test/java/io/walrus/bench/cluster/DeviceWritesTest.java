package io.walrus.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

class DeviceWritesTest {
    /** glibc's gnu_dev_makedev: the encoding {@link DeviceWrites#statFileOf} undoes. */
    private static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xff);
    }

    @Test
    void theStatFileNamesTheDevicesMajorAndMinorNumber() {
        assertEquals(Path.of("/sys/dev/block/254:0/stat"), DeviceWrites.statFileOf(makedev(254, 0)));
        assertEquals(Path.of("/sys/dev/block/8:17/stat"), DeviceWrites.statFileOf(makedev(8, 17)));
        // Numbers past the old 8-bit fields: an NVMe partition, and both fields at their widest.
        assertEquals(Path.of("/sys/dev/block/259:65537/stat"), DeviceWrites.statFileOf(makedev(259, 65537)));
        assertEquals(Path.of("/sys/dev/block/4095:1048575/stat"), DeviceWrites.statFileOf(makedev(4095, 1048575)));
        assertEquals(Path.of("/sys/dev/block/1048575:4294967295/stat"),
                DeviceWrites.statFileOf(makedev(1048575, 4294967295L)));
    }

    /** Where the directory is on a block device (not tmpfs or an overlay): what is fsync'd is counted, at least. */
    @Test
    void aMegabyteWrittenAndForcedCountsAtLeastAMegabyte(@TempDir Path directory) throws IOException {
        DeviceWrites disk = DeviceWrites.of(directory);
        long before = disk.bytesSoFar();
        assumeTrue(before >= 0, "the temporary directory is on no block device with a stat file");
        byte[] bytes = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(bytes);
        try (FileChannel file = FileChannel.open(directory.resolve("data"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(bytes));
            file.force(true);
        }
        long after = disk.bytesSoFar();
        assertTrue(after - before >= bytes.length, "counted " + (after - before) + " bytes");
    }
}
