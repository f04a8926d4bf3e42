package io.walrus.storage.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring through FFM against the real kernel (skipped, with the reason, where io_uring is unavailable). */
class IoUringTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsIoUring() {
        assumeTrue(IoUringSupport.available(), () -> "io_uring unavailable: " + IoUringSupport.unavailableReason().orElse(""));
    }

    @Test
    void manyWritesAndAnFsyncInOneSubmissionLandInTheFile() throws IOException {
        Path path = dir.resolve("a.wal");
        try (DataFile file = IoUringSupport.URING_FILES.create(path, 1 << 20);
             BatchIo io = new UringBatchIo(new RingPool(IoUringSupport.RING_ENTRIES), true)) {
            assertEquals("io_uring", io.name());
            int count = 100; // more than the ring holds: submitted in rounds
            ByteBuffer buffer = ByteBuffer.allocateDirect(count * 10);
            DataFile[] files = new DataFile[count];
            ByteBuffer[] buffers = new ByteBuffer[count];
            int[] from = new int[count];
            int[] lengths = new int[count];
            long[] positions = new long[count];
            for (int i = 0; i < count; i++) {
                byte[] text = String.format("entry%04d|", i).getBytes();
                buffer.put(i * 10, text);
                files[i] = file;
                buffers[i] = buffer;
                from[i] = i * 10;
                lengths[i] = 10;
                positions[i] = 4096 + (long) (count - 1 - i) * 10; // written in reverse order
            }
            io.writeAll(files, buffers, from, lengths, positions, count);
            io.forceAll(new DataFile[] {file, file}, 2);
        }
        byte[] bytes = Files.readAllBytes(path);
        for (int i = 0; i < 100; i++) {
            int at = 4096 + (99 - i) * 10;
            assertEquals(String.format("entry%04d|", i), new String(bytes, at, 10));
        }
    }

    @Test
    void linkedFsyncRunsAfterTheWritesAndReadsComeBackShortAtTheEnd() throws IOException {
        Path path = dir.resolve("a.wal");
        Files.write(path, new byte[8192]);
        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofConfined();
             DataFile file = IoUringSupport.URING_FILES.open(path)) {
            int fd = ((UringDataFile) file).fd();
            MemorySegment data = arena.allocateFrom("linked");
            ring.addWrite(fd, data.address(), 6, 100, file, true);
            ring.addFdatasync(fd, file, false);
            ring.run();
            ring.clear();
            MemorySegment into = arena.allocate(200);
            int read = ring.addRead(fd, into.address(), 200, 8092, file);
            int head = ring.addRead(fd, into.address(), 6, 100, file);
            ring.run();
            assertEquals(100, ring.result(read), "a read past the end comes back short, not as an error");
            assertEquals("linked", into.getString(0).substring(0, 6));
            assertEquals(6, ring.result(head));
        }
    }

    @Test
    void aFailedOperationIsAnIOExceptionNamingItAndItsErrno() throws IOException {
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(16);
            ring.addWrite(1_000_000, data.address(), 16, 0, "a file that is not open", false);
            IOException e = assertThrows(IOException.class, ring::run);
            assertTrue(e.getMessage().contains("io_uring write of 16 bytes at 0 of a file that is not open"), e.getMessage());
            assertTrue(e.getMessage().contains("errno 9"), e.getMessage()); // EBADF
            ring.clear();
            ring.addNop();
            ring.run(); // the ring stays usable
        }
    }
}
