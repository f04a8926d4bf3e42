package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The other ceiling of plain Java I/O: each writer copies its entries (the same 24-byte prefix and
 * payload as {@link FileChannelWriteTarget}) into a {@link MappedByteBuffer} over its own file, a
 * window of {@link #WINDOW_BYTES} at a time. No system call per write: the kernel writes the dirty
 * pages back when it likes, or when forced.
 *
 * <p>sync-each forces (msync) the range of each write; the interval mode fsyncs each file, which on
 * Linux writes back the mapping's dirty pages too. Windows are mapped through an {@link Arena}, so
 * a full window is unmapped at once instead of whenever the garbage collector gets to it.
 */
public final class MappedBufferWriteTarget implements WriteTarget {
    /** As big as Walrus's data files; a multiple of every page size. */
    public static final long WINDOW_BYTES = 1L << 30;

    private final Path directory;
    private final FsyncMode fsync;
    private final PeriodicForcer forcer;
    private final List<WindowAppender> appenders = new ArrayList<>();

    private MappedBufferWriteTarget(Path directory, FsyncMode fsync) {
        this.directory = directory;
        this.fsync = fsync;
        this.forcer = PeriodicForcer.of(fsync);
    }

    /** Mapped files in {@code directory}, which must exist. */
    public static MappedBufferWriteTarget open(Path directory, FsyncMode fsync) {
        return new MappedBufferWriteTarget(directory, fsync);
    }

    /** Writer {@code writerIndex}'s file, laid out as {@link FileChannelWriteTarget#fileOf}'s. */
    public static Path fileOf(Path directory, int writerIndex) {
        return directory.resolve("writer_" + writerIndex + ".mmap");
    }

    @Override
    public String name() {
        return "mmap";
    }

    @Override
    public Appender appender(int writerIndex) throws IOException {
        FileChannel channel = FileChannel.open(fileOf(directory, writerIndex),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        WindowAppender appender = new WindowAppender(channel, fsync.kind() == FsyncMode.Kind.SYNC_EACH);
        appenders.add(appender);
        forcer.register(() -> channel.force(false));
        return appender;
    }

    /** Forces every file once more (the writers have stopped), unmaps and closes. */
    @Override
    public void close() throws IOException {
        IOException failure = forcer.stop();
        for (WindowAppender appender : appenders) {
            try {
                appender.close();
            } catch (IOException e) {
                failure = PeerFailures.add(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class WindowAppender implements Appender {
        private final FileChannel channel;
        private final boolean forceEachWrite;
        private Arena arena;
        private MappedByteBuffer window;
        private long windowStart;
        private long sequence;

        WindowAppender(FileChannel channel, boolean forceEachWrite) throws IOException {
            this.channel = channel;
            this.forceEachWrite = forceEachWrite;
            mapWindow(0); // the first window before the clock starts
        }

        @Override
        public void append(byte[] payload) throws IOException {
            int start = reserve(FileChannelWriteTarget.ENTRY_PREFIX_BYTES + payload.length);
            putEntry(payload, 0);
            forceIfAsked(start);
        }

        @Override
        public void appendBatch(List<byte[]> payloads) throws IOException {
            int count = payloads.size();
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                bytes += FileChannelWriteTarget.ENTRY_PREFIX_BYTES + payloads.get(i).length;
            }
            int start = reserve(Math.toIntExact(bytes));
            for (int i = 0; i < count; i++) {
                putEntry(payloads.get(i), count - 1 - i);
            }
            forceIfAsked(start);
        }

        /** Where the next {@code bytes} go; moves to the next window when they do not fit in this one. */
        private int reserve(int bytes) throws IOException {
            if (window.remaining() < bytes) {
                mapWindow(windowStart + WINDOW_BYTES);
            }
            return window.position();
        }

        private void putEntry(byte[] payload, int batchRemaining) {
            window.putInt(payload.length)
                    .putInt(batchRemaining)
                    .putLong(sequence++)
                    .putInt(FileChannelWriteTarget.ENTRY_MARKER)
                    .putInt(0)
                    .put(payload);
        }

        private void forceIfAsked(int start) {
            if (forceEachWrite) {
                window.force(start, window.position() - start);
            }
        }

        private void mapWindow(long start) throws IOException {
            closeWindow();
            arena = Arena.ofShared();
            window = (MappedByteBuffer) channel.map(FileChannel.MapMode.READ_WRITE, start, WINDOW_BYTES, arena)
                    .asByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            windowStart = start;
        }

        private void closeWindow() {
            if (arena != null) {
                // Unmapping keeps the dirty pages: they are the file's page cache, written back as usual.
                arena.close();
                arena = null;
                window = null;
            }
        }

        void close() throws IOException {
            try (channel) {
                channel.force(false);
                closeWindow();
            }
        }
    }
}
