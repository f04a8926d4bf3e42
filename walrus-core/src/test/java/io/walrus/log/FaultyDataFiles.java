package io.walrus.log;

import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;
import io.walrus.testing.ForwardingDataFile;
import io.walrus.testing.TestBackend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DataFiles} wrapper for tests: fails the n-th write or any fsync on demand, or holds one
 * write until released, so a test can act while an append is provably in the middle of writing.
 */
final class FaultyDataFiles implements DataFiles {
    /** Writes left before one fails; negative: never. */
    final AtomicInteger writesBeforeFailure = new AtomicInteger(-1);
    final AtomicBoolean failForce = new AtomicBoolean();
    final AtomicBoolean holdNextWrite = new AtomicBoolean();
    final CountDownLatch writeHeld = new CountDownLatch(1);
    final CountDownLatch releaseWrite = new CountDownLatch(1);
    /** The I/O path under test, wrapped. */
    private final DataFiles inner = TestBackend.current().dataFiles();

    @Override
    public DataFile create(Path path, long length) throws IOException {
        return new Faulty(inner.create(path, length));
    }

    @Override
    public DataFile open(Path path) throws IOException {
        return new Faulty(inner.open(path));
    }

    private final class Faulty extends ForwardingDataFile {
        Faulty(DataFile inner) {
            super(inner);
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            if (position == 0) {
                // A new file's header (the only write at 0), written by the allocator, often on its
                // background thread, not by an append: left out of the holding and the counting,
                // which must stay deterministic.
                inner.write(source, position);
                return;
            }
            if (holdNextWrite.compareAndSet(true, false)) {
                writeHeld.countDown();
                try {
                    releaseWrite.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while held", e);
                }
            }
            if (writesBeforeFailure.getAndDecrement() == 0) {
                throw new IOException("injected write failure at " + inner.path() + " position " + position);
            }
            inner.write(source, position);
        }

        @Override
        public void force() throws IOException {
            if (failForce.get()) {
                throw new IOException("injected fsync failure (EIO) at " + inner.path());
            }
            inner.force();
        }
    }
}
