package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor Walrus is measured against: the same bytes written with positional {@link FileChannel}
 * writes to one file per writer, forced as the fsync mode says, and nothing else (no blocks,
 * topics, checksums or index). The gap between the two phases is what Walrus's bookkeeping costs.
 *
 * <p>Each entry is a 24-byte prefix, the size of a Walrus entry header, followed by the payload, so
 * both targets push about the same number of bytes to the disk.
 */
public final class FileChannelWriteTarget implements WriteTarget {
    /** The size of Walrus's entry header (length, batch count, sequence, marker, checksum). */
    public static final int ENTRY_PREFIX_BYTES = 24;
    /** Files grow by this much at a time, as Walrus's data files are created at about 1 GB. */
    static final long GROWTH_BYTES = 1L << 30;
    static final int ENTRY_MARKER = 0x59544E45; // "ENTY"

    private final Path directory;
    private final FsyncMode fsync;
    private final PeriodicForcer forcer;
    private final List<FileAppender> appenders = new ArrayList<>();

    private FileChannelWriteTarget(Path directory, FsyncMode fsync) {
        this.directory = directory;
        this.fsync = fsync;
        this.forcer = PeriodicForcer.of(fsync);
    }

    /** A baseline writing its files into {@code directory}, which must exist. */
    public static FileChannelWriteTarget open(Path directory, FsyncMode fsync) {
        return new FileChannelWriteTarget(directory, fsync);
    }

    /** Writer {@code writerIndex}'s file: entries of a 24-byte prefix (the payload's length first) and payload. */
    public static Path fileOf(Path directory, int writerIndex) {
        return directory.resolve("writer_" + writerIndex + ".log");
    }

    @Override
    public String name() {
        return "filechannel";
    }

    @Override
    public Appender appender(int writerIndex) throws IOException {
        Path file = fileOf(directory, writerIndex);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileAppender appender = new FileAppender(channel, fsync.kind() == FsyncMode.Kind.SYNC_EACH);
        appenders.add(appender);
        forcer.register(() -> channel.force(false));
        return appender;
    }

    /**
     * Forces every file once more, as Walrus's close makes every acknowledged write durable, then
     * closes them. The caller times this apart from the writes.
     */
    @Override
    public void close() throws IOException {
        IOException failure = forcer.stop();
        for (FileAppender appender : appenders) {
            try (FileChannel channel = appender.channel) {
                channel.force(false);
            } catch (IOException e) {
                failure = PeerFailures.add(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class FileAppender implements Appender {
        private static final int INITIAL_BUFFER_BYTES = 64 << 10;

        private final FileChannel channel;
        private final boolean forceEachWrite;
        private final ByteBuffer growthMarker = ByteBuffer.allocateDirect(1);
        /** Reused for every write: direct, so the kernel copies straight from it. */
        private ByteBuffer buffer = newBuffer(INITIAL_BUFFER_BYTES);
        private long position;
        private long allocated;
        private long sequence;

        FileAppender(FileChannel channel, boolean forceEachWrite) throws IOException {
            this.channel = channel;
            this.forceEachWrite = forceEachWrite;
            growTo(GROWTH_BYTES); // the first extent before the clock starts
        }

        @Override
        public void append(byte[] payload) throws IOException {
            ensureBuffer(ENTRY_PREFIX_BYTES + payload.length);
            buffer.clear();
            putEntry(payload, 0);
            writeBuffer();
        }

        @Override
        public void appendBatch(List<byte[]> payloads) throws IOException {
            int count = payloads.size();
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                bytes += ENTRY_PREFIX_BYTES + payloads.get(i).length;
            }
            ensureBuffer(Math.toIntExact(bytes));
            buffer.clear();
            for (int i = 0; i < count; i++) {
                putEntry(payloads.get(i), count - 1 - i);
            }
            writeBuffer();
        }

        private void putEntry(byte[] payload, int batchRemaining) {
            buffer.putInt(payload.length)
                    .putInt(batchRemaining)
                    .putLong(sequence++)
                    .putInt(ENTRY_MARKER)
                    .putInt(0) // no checksum: the baseline measures raw I/O, not Walrus's integrity work
                    .put(payload);
        }

        private void writeBuffer() throws IOException {
            buffer.flip();
            long end = position + buffer.remaining();
            if (end > allocated) {
                growTo(end);
            }
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            if (forceEachWrite) {
                channel.force(false);
            }
        }

        /**
         * Extends the file past {@code end} in whole steps by writing its last byte, which leaves a
         * sparse file: the same preallocation Walrus's data files get from setting their length.
         */
        private void growTo(long end) throws IOException {
            while (allocated < end) {
                allocated += GROWTH_BYTES;
                growthMarker.clear();
                channel.write(growthMarker, allocated - 1);
            }
        }

        private void ensureBuffer(int bytes) {
            if (buffer.capacity() < bytes) {
                buffer = newBuffer(Math.max(bytes, buffer.capacity() * 2));
            }
        }

        private static ByteBuffer newBuffer(int capacity) {
            return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
