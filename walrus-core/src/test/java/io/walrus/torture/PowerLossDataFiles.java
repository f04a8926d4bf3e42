package io.walrus.torture;

import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A page cache that can lose power. Writes stay in memory (and are read back from there) until the
 * file is forced; {@link #losePower} then keeps, of every write not yet forced, a random choice:
 * none of it, all of it, or a torn prefix, and from then on every write and force fails, as the
 * machine is off. What a force completed before the loss is on disk, and nothing else is promised.
 * Creating a file and syncing the directory are real: the engine syncs the directory before it uses a
 * new file, so they are not what this models.
 */
final class PowerLossDataFiles implements DataFiles {
    private final List<Volatile> files = new CopyOnWriteArrayList<>();
    private volatile boolean off;

    @Override
    public DataFile create(Path path, long length) throws IOException {
        checkOn();
        return track(new Volatile(DataFiles.CHANNEL.create(path, length)));
    }

    @Override
    public DataFile open(Path path) throws IOException {
        checkOn();
        return track(new Volatile(DataFiles.CHANNEL.open(path)));
    }

    private Volatile track(Volatile file) {
        files.add(file);
        return file;
    }

    /** Cuts the power: each unforced write survives whole, torn or not at all; then every write and force fails. */
    void losePower(Random random) throws IOException {
        off = true;
        for (Volatile file : files) {
            file.losePower(random);
        }
    }

    private void checkOn() throws IOException {
        if (off) {
            throw new IOException("power lost");
        }
    }

    private final class Volatile implements DataFile {
        private record Pending(long position, byte[] bytes) {
        }

        private final DataFile disk;
        /** Writes since the last force, oldest first. Guarded by {@code this}. */
        private final List<Pending> pending = new ArrayList<>();
        private boolean closed;

        Volatile(DataFile disk) {
            this.disk = disk;
        }

        @Override
        public Path path() {
            return disk.path();
        }

        @Override
        public synchronized void write(ByteBuffer source, long position) throws IOException {
            checkOn();
            byte[] bytes = new byte[source.remaining()];
            source.get(bytes);
            pending.add(new Pending(position, bytes));
        }

        @Override
        public synchronized int read(ByteBuffer target, long position) throws IOException {
            int start = target.position();
            int read = disk.read(target, position);
            long end = position + read;
            for (Pending write : pending) {
                long from = Math.max(position, write.position());
                long to = Math.min(end, write.position() + write.bytes().length);
                for (long at = from; at < to; at++) {
                    target.put(start + (int) (at - position), write.bytes()[(int) (at - write.position())]);
                }
            }
            return read;
        }

        /** The pending writes reach the disk, in order, then the real fdatasync; on return they are durable. */
        @Override
        public synchronized void force() throws IOException {
            checkOn();
            for (Pending write : pending) {
                disk.write(ByteBuffer.wrap(write.bytes()), write.position());
            }
            pending.clear();
            disk.force();
        }

        synchronized void losePower(Random random) throws IOException {
            if (closed) {
                return; // closed while the power went: taken out of the list, but not out of its snapshot
            }
            for (Pending write : pending) {
                int keep = switch (random.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> write.bytes().length;
                    default -> random.nextInt(write.bytes().length + 1);
                };
                if (keep > 0) {
                    disk.write(ByteBuffer.wrap(write.bytes(), 0, keep), write.position());
                }
            }
            pending.clear();
            disk.force();
        }

        /**
         * Stops tracking the file: a closed file takes no part in a later power loss. Whatever is
         * still pending goes to the disk unforced, as the page cache keeps it after a close; the
         * engine forces a file before it closes it (a new file's header before its rename), so in
         * practice nothing is.
         */
        @Override
        public synchronized void close() throws IOException {
            closed = true;
            files.remove(this);
            if (!off) {
                for (Pending write : pending) {
                    disk.write(ByteBuffer.wrap(write.bytes()), write.position());
                }
            }
            pending.clear();
            disk.close();
        }
    }
}
