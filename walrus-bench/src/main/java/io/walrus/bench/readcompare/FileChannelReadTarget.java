package io.walrus.bench.readcompare;

import io.walrus.bench.target.FileChannelWriteTarget;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling of plain reads: each file {@link FileChannelWriteTarget} wrote, read sequentially with
 * positional {@link FileChannel} reads of {@link #WINDOW_BYTES} into one direct buffer, each entry's
 * payload copied out into an array the reader reuses. No checksum, no index, no cursor: one read is
 * one window's worth of whole entries.
 */
final class FileChannelReadTarget implements ReadTarget {
    static final int WINDOW_BYTES = 64 << 10;

    private final Path directory;
    private final List<FileChannel> channels = new ArrayList<>();

    private FileChannelReadTarget(Path directory) {
        this.directory = directory;
    }

    static FileChannelReadTarget open(Path directory) {
        return new FileChannelReadTarget(directory);
    }

    @Override
    public Reader reader(int topic) throws IOException {
        FileChannel channel = FileChannel.open(FileChannelWriteTarget.fileOf(directory, topic),
                StandardOpenOption.READ);
        channels.add(channel);
        return new WindowReader(channel);
    }

    @Override
    public void close() throws IOException {
        for (FileChannel channel : channels) {
            channel.close();
        }
    }

    private static final class WindowReader extends CountingReader {
        private final FileChannel channel;
        private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final byte[] payload = new byte[WINDOW_BYTES];
        private long position;

        WindowReader(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            window.clear();
            while (window.hasRemaining() && channel.read(window, position + window.position()) > 0) {
                // a short read from the page cache only happens at the end of the file
            }
            window.flip();
            int count = 0;
            int prefix = FileChannelWriteTarget.ENTRY_PREFIX_BYTES;
            while (window.remaining() >= prefix) {
                int at = window.position();
                int length = window.getInt(at);
                if (length == 0 || window.remaining() < prefix + length) {
                    break; // the end of what was written, or an entry the next window holds whole
                }
                window.get(at + prefix, payload, 0, length);
                window.position(at + prefix + length);
                bytes += length;
                count++;
            }
            position += window.position();
            return count;
        }
    }
}
