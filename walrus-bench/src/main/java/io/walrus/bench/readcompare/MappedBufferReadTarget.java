package io.walrus.bench.readcompare;

import io.walrus.bench.target.FileChannelWriteTarget;
import io.walrus.bench.target.MappedBufferWriteTarget;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The other ceiling: each file {@link MappedBufferWriteTarget} wrote, mapped read-only (its first
 * 1 GiB window, which holds everything a run of the comparison writes) and walked entry by entry,
 * each payload copied out into an array the reader reuses. One read is one entry; no system call.
 */
final class MappedBufferReadTarget implements ReadTarget {
    private final Path directory;
    private final Arena arena = Arena.ofShared();

    private MappedBufferReadTarget(Path directory) {
        this.directory = directory;
    }

    static MappedBufferReadTarget open(Path directory) {
        return new MappedBufferReadTarget(directory);
    }

    @Override
    public Reader reader(int topic) throws IOException {
        try (FileChannel channel = FileChannel.open(MappedBufferWriteTarget.fileOf(directory, topic),
                StandardOpenOption.READ)) {
            long size = Math.min(channel.size(), MappedBufferWriteTarget.WINDOW_BYTES);
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena).asByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            return new MappedReader(mapped);
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    private static final class MappedReader extends CountingReader {
        private final ByteBuffer mapped;
        private final byte[] payload = new byte[64 << 10];
        private int position;

        MappedReader(ByteBuffer mapped) {
            this.mapped = mapped;
        }

        @Override
        public int read() {
            int prefix = FileChannelWriteTarget.ENTRY_PREFIX_BYTES;
            if (mapped.limit() - position < prefix) {
                return 0;
            }
            int length = mapped.getInt(position);
            if (length == 0) {
                return 0;
            }
            mapped.get(position + prefix, payload, 0, length);
            position += prefix + length;
            bytes += length;
            return 1;
        }
    }
}
