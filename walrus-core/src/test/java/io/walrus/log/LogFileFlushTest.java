package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.walrus.format.FileHeader;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A flush of a data file returns only when the writes before it are forced, even when another
 * flush is already forcing the file: group commit runs flushes side by side, and a flush that
 * trusted the other's cleared dirty flag would acknowledge appends before they are on disk.
 */
class LogFileFlushTest {

    @Test
    void aFlushThatOverlapsARunningForceForcesTooInsteadOfTrustingIt() throws Exception {
        CountingFile io = new CountingFile();
        io.holdFirstForce = true;
        LogFile file = new LogFile(io, FileHeader.create(1 << 16, 4, 0), 0);
        file.markDirty();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> {
                file.flushIfDirty();
                return null;
            });
            io.firstForceStarted.await();
            // The flag is clear now, but the first force has not finished: this flush must force on its own.
            file.flushIfDirty();
            assertEquals(2, io.forces.get());
            io.releaseFirstForce.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFlushWithNothingWrittenSinceTheLastForceDoesNotForce() throws IOException {
        CountingFile io = new CountingFile();
        LogFile file = new LogFile(io, FileHeader.create(1 << 16, 4, 0), 0);
        file.flushIfDirty();
        assertEquals(0, io.forces.get());
        file.markDirty();
        file.flushIfDirty();
        file.flushIfDirty();
        assertEquals(1, io.forces.get());
    }

    @Test
    void aFailedForceLeavesTheFileDirtyAndNamesIt() throws IOException {
        CountingFile io = new CountingFile();
        io.failForce.set(true);
        LogFile file = new LogFile(io, FileHeader.create(1 << 16, 4, 0), 0);
        file.markDirty();
        IOException failure = assertThrows(IOException.class, file::flushIfDirty);
        assertEquals("fsync of /data/00000000000000000000.wal failed: injected EIO", failure.getMessage());
        io.failForce.set(false);
        file.flushIfDirty();
        assertEquals(2, io.forces.get(), "the write the failed force did not cover still needs one");
    }

    /** A data file that only counts forces; the first may be held until the test lets it go. */
    private static final class CountingFile implements DataFile {
        final AtomicInteger forces = new AtomicInteger();
        final AtomicBoolean failForce = new AtomicBoolean();
        final CountDownLatch firstForceStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirstForce = new CountDownLatch(1);
        volatile boolean holdFirstForce;

        @Override
        public Path path() {
            return Path.of("/data/00000000000000000000.wal");
        }

        @Override
        public void write(ByteBuffer source, long position) {
            source.position(source.limit());
        }

        @Override
        public int read(ByteBuffer target, long position) {
            return 0;
        }

        @Override
        public void force() throws IOException {
            int n = forces.incrementAndGet();
            if (failForce.get()) {
                throw new IOException("injected EIO");
            }
            if (n == 1 && holdFirstForce) {
                firstForceStarted.countDown();
                try {
                    releaseFirstForce.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
