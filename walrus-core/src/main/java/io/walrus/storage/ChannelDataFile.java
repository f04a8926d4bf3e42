package io.walrus.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link DataFile} on a {@link FileChannel}: positional reads and writes (pread/pwrite).
 *
 * <p>A FileChannel closes itself when a thread blocked in it is interrupted, which would take the
 * file away from every other thread. The caller's interrupt status is therefore set aside for the
 * duration of each call and restored afterwards; an interrupt that lands inside the system call
 * still closes the channel, and the resulting {@code ClosedByInterruptException} reaches the
 * engine as an I/O failure (the instance then stops accepting writes rather than guess).
 */
public final class ChannelDataFile implements DataFile {
    private final Path path;
    private final FileChannel channel;

    private ChannelDataFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates a new file of exactly {@code length} bytes; fails if it exists, and then leaves nothing behind. */
    public static ChannelDataFile create(Path path, long length) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            Preallocation.preallocate(path, channel, length);
            return new ChannelDataFile(path, channel);
        } catch (IOException | RuntimeException e) {
            // A full disk must not leave an empty file behind for the next open to set aside as unreadable.
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    public static ChannelDataFile open(Path path, boolean writable) throws IOException {
        FileChannel channel = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        return new ChannelDataFile(path, channel);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            long at = position;
            while (source.hasRemaining()) {
                at += channel.write(source, at);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            int total = 0;
            while (target.hasRemaining()) {
                int n = channel.read(target, position + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void force() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            channel.force(false);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public long size() throws IOException {
        // As for the other calls: a pending interrupt would close the channel (FileChannel.size is
        // interruptible), which a follower opening a new file with its thread interrupted did.
        boolean interrupted = Thread.interrupted();
        try {
            return channel.size();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
