package io.walrus.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walrus.Entry;
import io.walrus.FsyncSchedule;
import io.walrus.Walrus;
import io.walrus.log.LogConfig;
import io.walrus.log.WriteAheadLog;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;
import io.walrus.testing.ForwardingDataFile;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: the append that needs space gets an IOException naming the path, the instance takes
 * no more writes (fail-stop), nothing already acknowledged is damaged, and once space is freed a
 * reopened instance has every acknowledged entry and takes new ones. Run twice: on a real, tiny tmpfs
 * when the test may mount one (root on Linux), and always through a storage wrapper that runs out of
 * space as a file system does (on creating a file, or in the middle of a write).
 */
class DiskFullTest {
    private static final String TOPIC = "t0";

    @TempDir
    Path scratch;

    @Test
    void onARealFullFileSystemAcknowledgedEntriesSurviveAndTheInstanceWorksAfterReopen() throws Exception {
        Path mount = Files.createDirectory(scratch.resolve("tiny"));
        assumeTrue(mountTmpfs(mount, "2m"), "needs root on Linux to mount a 2 MiB tmpfs");
        try {
            Path filler = mount.resolve("filler");
            Files.write(filler, new byte[512 << 10]);
            Path dir = mount.resolve("wal");
            long acknowledged;
            try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.syncEach()).open()) {
                Full result = appendUntilFull(index -> wal.appendForTopic(TOPIC, entry(index)));
                IOException full = result.failure();
                acknowledged = result.acknowledged();
                assertTrue(full.getMessage().contains(dir.toString()), "names the path: " + full.getMessage());
                assertTrue(full.getMessage().toLowerCase().contains("no space"), "says why: " + full.getMessage());
                IOException refused = assertThrows(IOException.class, () -> wal.appendForTopic(TOPIC, entry(0)));
                assertTrue(refused.getMessage().contains("stopped taking writes"), refused.getMessage());
                assertEquals(entry(0).length, wal.readNext(TOPIC, false).orElseThrow().data().length, "reads still work");
            } catch (IOException closeAfterFailure) {
                throw new AssertionError("close after a full disk failed", closeAfterFailure);
            }
            Files.delete(filler);
            reopenCheckAndAppend(dir, acknowledged);
        } finally {
            unmount(mount);
        }
    }

    @Test
    void whenTheDiskFillsMidWriteOrOnANewFileNothingAcknowledgedIsLost() throws IOException {
        for (boolean sparse : new boolean[] {false, true}) {
          for (long budget : new long[] {300_000, 600_000, 1_000_000}) {
            Path dir = scratch.resolve("wrapped-" + budget + (sparse ? "-sparse" : ""));
            FullDisk disk = new FullDisk(budget, sparse);
            long acknowledged = -1;
            try (WriteAheadLog log = WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.syncEach(), false,
                    TestWals.SMALL_BLOCK, TestWals.SMALL_FILE_BLOCKS, 1, disk))) {
                Full result = appendUntilFull(index -> log.append(TOPIC, entry(index)));
                IOException full = result.failure();
                acknowledged = result.acknowledged();
                assertTrue(full.getMessage().contains(dir.toString()), "names the path: " + full.getMessage());
                assertThrows(IOException.class, () -> log.append(TOPIC, entry(0)));
            } catch (IOException closeAfterFailure) {
                // close reports the failure again; what matters is what is on disk
            }
            disk.free();
            reopenCheckAndAppend(dir, acknowledged);
          }
        }
    }

    /** An append of the entry with this index. */
    @FunctionalInterface
    private interface Append {
        void append(long index) throws IOException;
    }

    /** The last index acknowledged before the disk was full, and the failure that said so. */
    private record Full(long acknowledged, IOException failure) {
    }

    private static Full appendUntilFull(Append append) {
        for (long next = 0; ; next++) {
            try {
                append.append(next);
            } catch (IOException e) {
                return new Full(next - 1, e);
            }
        }
    }

    private static void reopenCheckAndAppend(Path dir, long acknowledged) throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.syncEach()).open()) {
            TopicAudit audit = new TopicAudit(TOPIC, 0);
            List<Entry> batch;
            while (!(batch = wal.batchReadForTopic(TOPIC, 1 << 20, true)).isEmpty()) {
                batch.forEach(e -> audit.accept(e.data()));
            }
            audit.end();
            assertEquals(List.of(), audit.violations());
            assertTrue(audit.nextIndex() - 1 >= acknowledged, "acknowledged up to " + acknowledged
                    + " but the log ends at " + (audit.nextIndex() - 1));
            wal.appendForTopic(TOPIC, entry(audit.nextIndex()));
            assertEquals(audit.nextIndex(), TortureEntryIndex.of(wal.readNext(TOPIC, true).orElseThrow()));
        }
    }

    private static byte[] entry(long index) {
        return new TortureEntry(TOPIC, index, index, 1).encode();
    }

    private static boolean mountTmpfs(Path at, String size) throws InterruptedException {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            return new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                    .inheritIO().start().waitFor() == 0;
        } catch (IOException noMountCommand) {
            return false;
        }
    }

    private static void unmount(Path at) throws Exception {
        new ProcessBuilder("umount", at.toString()).inheritIO().start().waitFor();
    }

    /** The index an entry read back was written with. */
    private static final class TortureEntryIndex {
        static long of(Entry entry) {
            try {
                return TortureEntry.decode(entry.data()).index();
            } catch (TortureEntry.BadPayload bad) {
                throw new AssertionError(bad.getMessage());
            }
        }
    }

    /**
     * Real files with a space budget, as a file system runs out of it. Preallocating (the usual
     * case): creating a file takes its whole length, and fails with ENOSPC when that is not left.
     * Sparse (a file system without fallocate): creating costs nothing, and a write that would go past
     * the budget writes the bytes that fit, then fails with ENOSPC.
     */
    private static final class FullDisk implements DataFiles {
        private final AtomicLong left;
        private final boolean sparse;
        private final AtomicBoolean freed = new AtomicBoolean();

        FullDisk(long budget, boolean sparse) {
            this.left = new AtomicLong(budget);
            this.sparse = sparse;
        }

        void free() {
            freed.set(true);
        }

        @Override
        public DataFile create(Path path, long length) throws IOException {
            if (!sparse && !freed.get() && left.addAndGet(-length) < 0) {
                throw new IOException("no space left on device to preallocate " + length + " bytes for " + path);
            }
            return new Budgeted(DataFiles.CHANNEL.create(path, length));
        }

        @Override
        public DataFile open(Path path) throws IOException {
            return new Budgeted(DataFiles.CHANNEL.open(path));
        }

        private final class Budgeted extends ForwardingDataFile {
            Budgeted(DataFile inner) {
                super(inner);
            }

            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                if (sparse && !freed.get()) {
                    long fits = left.getAndAdd(-source.remaining());
                    if (fits < source.remaining()) {
                        int partial = (int) Math.max(0, fits);
                        ByteBuffer part = source.slice(source.position(), partial);
                        inner.write(part, position);
                        throw new IOException("No space left on device: write of " + source.remaining()
                                + " bytes at " + position + " in " + inner.path());
                    }
                }
                inner.write(source, position);
            }
        }
    }
}
