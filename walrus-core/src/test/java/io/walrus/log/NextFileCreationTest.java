package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.format.DataFileNames;
import io.walrus.format.FormatDescriptor;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;
import io.walrus.testing.ForwardingDataFile;
import io.walrus.testing.TestBackend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lane's next data file is created ahead of need by a background thread, so the append that
 * fills a file does not wait for the next one; what a failed or interrupted creation leaves is
 * retried, reported or cleaned up.
 */
class NextFileCreationTest {
    private static final int BLOCKS_PER_FILE = 4;
    /** Bigger than half a block: every entry takes a block of its own. */
    private static final int PAYLOAD = 40_000;

    @TempDir
    Path dir;

    @Test
    void theAppendThatFillsAFileDoesNotWaitForTheNextOneWhichABackgroundThreadCreates() throws Exception {
        GatedCreation files = new GatedCreation();
        try (WriteAheadLog log = open(files)) {
            files.holdBackgroundCreations.set(true);
            log.append("t", payload(0)); // the first file, created on the append path
            log.append("t", payload(1)); // half the file handed out: the next one is started, if not yet
            // The next file's creation is held; the rest of this file still takes appends.
            log.append("t", payload(2));
            log.append("t", payload(3));
            assertTrue(files.creationHeld.await(60, java.util.concurrent.TimeUnit.SECONDS),
                    "the next file should be in creation in the background");
            files.releaseCreation.countDown();
            log.append("t", payload(4)); // the next file
            assertEquals(1, log.topic("t").chain()[4].file.header.fileSequence(), "the fifth block is in the next file");
        }
        assertEverythingReadable(5);
    }

    @Test
    void aBackgroundCreationThatFailedIsRetriedByTheAppendThatNeedsTheFile() throws Exception {
        GatedCreation files = new GatedCreation();
        files.failingCreations.set(1);
        try (WriteAheadLog log = open(files)) {
            log.append("t", payload(0));
            for (int i = 1; i < 2 * BLOCKS_PER_FILE; i++) {
                log.append("t", payload(i));
            }
            assertEquals(0, files.failingCreations.get(), "the background creation should have been tried and failed");
        }
        assertEverythingReadable(2 * BLOCKS_PER_FILE);
        assertEquals(List.of(), leftovers(), "a failed creation leaves nothing behind");
    }

    @Test
    void whenCreationKeepsFailingTheAppendThatNeedsTheFileFailsNamingItAndReadsGoOn() throws Exception {
        GatedCreation files = new GatedCreation();
        files.failingCreations.set(Integer.MAX_VALUE);
        try (WriteAheadLog log = open(files)) {
            log.append("t", payload(0));
            for (int i = 1; i < BLOCKS_PER_FILE; i++) {
                log.append("t", payload(i));
            }
            IOException e = assertThrows(IOException.class, () -> log.append("t", payload(BLOCKS_PER_FILE)));
            assertTrue(e.getMessage().contains("could not create data file " + dir), e.getMessage());
            assertEquals(BLOCKS_PER_FILE, log.batchRead("t", 1 << 20, 100, false).size());
        } catch (IOException closing) {
            // close reports that the instance failed; the entries acknowledged before are checked below
        }
        assertEverythingReadable(BLOCKS_PER_FILE);
    }

    @Test
    void aNewFilesHeaderIsWrittenThroughTheFileTheLogKeepsSoThatItsOwnForceCoversIt() throws Exception {
        GatedCreation files = new GatedCreation();
        try (WriteAheadLog log = open(files)) {
            log.append("t", payload(0));
            // A mapping's msync covers only what was written through it: the header written under
            // the temporary name, through another mapping, would not be forced with the entries.
            assertTrue(files.headerWritesAfterOpen.contains(DataFileNames.dataFile(0)), files.headerWritesAfterOpen.toString());
        }
        assertEverythingReadable(1);
    }

    @Test
    void closeDeletesTheNextFileWhenNoAppendUsedIt() throws Exception {
        try (WriteAheadLog log = open(new GatedCreation())) {
            for (int i = 0; i < BLOCKS_PER_FILE - 1; i++) {
                log.append("t", payload(i)); // past half: the next file is created, and never needed
            }
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(1, listing.filter(p -> DataFileNames.fileSequence(p).isPresent()).count());
        }
        assertEverythingReadable(BLOCKS_PER_FILE - 1);
    }

    @Test
    void openDeletesWhatACrashLeftOfAFileInCreationAndSetsNothingAside() throws Exception {
        try (WriteAheadLog log = open(new GatedCreation())) {
            log.append("t", payload(0));
        }
        Path interrupted = dir.resolve(DataFileNames.dataFileInCreation(7));
        Files.write(interrupted, new byte[8192]); // preallocated, header never written
        try (WriteAheadLog log = open(new GatedCreation())) {
            assertFalse(Files.exists(interrupted));
            log.append("t", payload(1));
        }
        assertEverythingReadable(2);
        assertEquals(List.of(), leftovers());
    }

    private WriteAheadLog open(DataFiles files) throws IOException {
        return WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.onCloseOnly(),
                TestBackend.current().dataFiles() == DataFiles.MMAP, LogFixture.BLOCK, BLOCKS_PER_FILE, 1, files));
    }

    private void assertEverythingReadable(int entries) throws IOException {
        try (WriteAheadLog log = LogFixture.open(dir)) {
            for (int i = 0; i < entries; i++) {
                assertArrayEquals(payload(i), log.readNext("t", true), "entry " + i);
            }
            assertEquals(null, log.readNext("t", true));
        }
    }

    /** Files a creation or a recovery left beside the data files. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.toString().endsWith(".new") || p.toString().endsWith(".unreadable")).toList();
        }
    }

    private static byte[] payload(int i) {
        byte[] bytes = new byte[PAYLOAD];
        java.util.Arrays.fill(bytes, (byte) i);
        bytes[0] = (byte) (i >> 8);
        return bytes;
    }

    /** The I/O path under test, with creations that can be held at a gate or made to fail. */
    private static final class GatedCreation implements DataFiles {
        /** Hold the first creation made by the allocator's background thread until released. */
        final AtomicBoolean holdBackgroundCreations = new AtomicBoolean();
        final CountDownLatch creationHeld = new CountDownLatch(1);
        final CountDownLatch releaseCreation = new CountDownLatch(1);
        /** How many creations after the first (the first data file's) fail. */
        final AtomicInteger failingCreations = new AtomicInteger();
        private final AtomicInteger creations = new AtomicInteger();
        /** Files (by name) whose header was written through the instance opened under their own name. */
        final List<String> headerWritesAfterOpen = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final DataFiles inner = TestBackend.current().dataFiles();

        @Override
        public DataFile create(Path path, long length) throws IOException {
            if (creations.getAndIncrement() > 0 && failingCreations.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                throw new IOException("injected: no space left on device creating " + path);
            }
            if (Thread.currentThread().getName().startsWith("walrus-next-file")
                    && holdBackgroundCreations.compareAndSet(true, false)) {
                creationHeld.countDown();
                try {
                    releaseCreation.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return inner.create(path, length);
        }

        @Override
        public DataFile open(Path path) throws IOException {
            return new ForwardingDataFile(inner.open(path)) {
                @Override
                public void write(ByteBuffer source, long position) throws IOException {
                    if (position == 0 && source.remaining() == FormatDescriptor.FILE_HEADER_SIZE) {
                        headerWritesAfterOpen.add(path.getFileName().toString());
                    }
                    super.write(source, position);
                }
            };
        }
    }
}
