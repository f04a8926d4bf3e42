package io.walrus.storage.uring;

import io.walrus.storage.ChannelDataFile;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An FD-backend data file that io_uring can also address: single reads, writes and forces go
 * through its {@link ChannelDataFile}, and a second descriptor of the same file, opened with libc
 * {@code open}, is what batches submit to the ring ({@code FileChannel} does not expose its own
 * without reaching into JDK internals). Both descriptors name one inode, so they share its page
 * cache, and an fdatasync through either makes every write through both durable.
 */
final class UringDataFile implements DataFile {
    private final ChannelDataFile channel;
    private final int fd;
    private boolean closed;

    private UringDataFile(ChannelDataFile channel, int fd) {
        this.channel = channel;
        this.fd = fd;
    }

    static UringDataFile wrap(ChannelDataFile channel) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.allocateErrno(arena);
            int fd = Libc.openReadWrite(errno, arena.allocateFrom(channel.path().toString()));
            if (fd < 0) {
                IOException failure = new UringException("open of " + channel.path() + " for io_uring",
                        Libc.errno(errno));
                channel.close();
                throw failure;
            }
            return new UringDataFile(channel, fd);
        }
    }

    /** The descriptor batches submit to the ring. */
    int fd() {
        return fd;
    }

    @Override
    public Path path() {
        return channel.path();
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
        channel.write(source, position);
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        return channel.read(target, position);
    }

    @Override
    public void force() throws IOException {
        channel.force();
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
        channel.close();
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
