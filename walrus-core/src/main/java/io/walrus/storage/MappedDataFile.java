package io.walrus.storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link DataFile} on one shared mapping of the whole file ({@code FileChannel.map} into a
 * {@link MemorySegment}): a write is a copy into the mapping, a read a copy out of it, with no
 * system call. The segment is long-indexed, so files over 2 GB map whole.
 *
 * <p>The mapping belongs to a shared {@link Arena} that {@link #close()} closes, which unmaps it
 * at once rather than whenever the garbage collector finds the buffer. The engine closes a file
 * only when no append or read can still be using it (close waits for both).
 *
 * <p>{@link #force()} msyncs only the range written since the last force ({@code msync(MS_SYNC)},
 * which Linux implements as an fdatasync of that range). Writes record the range they touched
 * <em>after</em> copying, and a force takes the range before syncing it, so a force that starts after
 * a write returned covers it; a write that lands during a force is left for the next one, as the
 * log's dirty flag already assumes. A shared mapping is the file's page cache, so other processes
 * reading the file with {@code pread} (the {@code walrus} tool) see what was copied in at once.
 */
public final class MappedDataFile implements DataFile {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final long length;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The range written since the last force: [dirtyStart, dirtyEnd); empty when start >= end. Guarded by this. */
    private long dirtyStart = Long.MAX_VALUE;
    private long dirtyEnd;

    private MappedDataFile(Path path, FileChannel channel, long length) throws IOException {
        this.path = path;
        this.length = length;
        this.arena = Arena.ofShared();
        try {
            this.mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Creates a new file preallocated to {@code length} bytes and maps it; fails if it exists, and then leaves nothing behind. */
    public static MappedDataFile create(Path path, long length) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            // Reserved blocks matter more here than for pwrite: a store into a hole the disk cannot
            // fill is not an error return but a SIGBUS.
            Preallocation.preallocate(path, channel, length);
            MappedDataFile file = new MappedDataFile(path, channel, length);
            channel.close();
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Maps an existing file whole. The channel is not kept: the mapping outlives it. */
    public static MappedDataFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new MappedDataFile(path, channel, channel.size());
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
        int bytes = source.remaining();
        if (position < 0 || position > length - bytes) {
            throw new IOException("write of " + bytes + " bytes at " + position + " is outside " + path
                    + ", which is " + length + " bytes long and never grows");
        }
        try {
            MemorySegment.copy(MemorySegment.ofBuffer(source), 0, mapping, position, bytes);
        } catch (InternalError fault) {
            // The JVM turns a SIGBUS in a copy into an InternalError: the page could not be backed.
            throw new IOException("writing " + bytes + " bytes at " + position + " of mapped " + path
                    + " faulted (no space to back the page?): " + fault.getMessage(), fault);
        }
        source.position(source.limit());
        markDirty(position, position + bytes);
    }

    private synchronized void markDirty(long start, long end) {
        if (start < dirtyStart) {
            dirtyStart = start;
        }
        if (end > dirtyEnd) {
            dirtyEnd = end;
        }
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        if (position < 0) {
            throw new IOException("read at negative position " + position + " of " + path);
        }
        int bytes = (int) Math.max(0, Math.min(target.remaining(), length - position));
        try {
            MemorySegment.copy(mapping, position, MemorySegment.ofBuffer(target), 0, bytes);
        } catch (InternalError fault) {
            throw new IOException("reading " + bytes + " bytes at " + position + " of mapped " + path
                    + " faulted (the file was truncated?): " + fault.getMessage(), fault);
        }
        target.position(target.position() + bytes);
        return bytes;
    }

    /** msync of the range written since the last force; nothing to do when nothing was written. */
    @Override
    public void force() throws IOException {
        long start;
        long end;
        synchronized (this) {
            start = dirtyStart;
            end = dirtyEnd;
            dirtyStart = Long.MAX_VALUE;
            dirtyEnd = 0;
        }
        if (start >= end) {
            return;
        }
        try {
            mapping.asSlice(start, end - start).force();
        } catch (java.io.UncheckedIOException e) {
            markDirty(start, end);
            throw e.getCause();
        } catch (RuntimeException e) {
            markDirty(start, end);
            throw new IOException("msync of " + path + " bytes " + start + " to " + end + " failed: " + e, e);
        }
    }

    /** Unmaps at once. Writes made are in the page cache and reach the disk as any others (close flushes first). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
