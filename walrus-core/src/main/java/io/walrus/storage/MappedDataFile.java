package io.walrus.storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DataFile} on one shared mapping of the whole file ({@code FileChannel.map} into a
 * {@link MemorySegment}): a write is a copy into the mapping, a read a copy out of it, with no
 * system call. The segment is long-indexed, so files over 2 GB map whole.
 *
 * <p>A file shorter than the mapping needs (damage: the engine's files never shrink) is read and
 * written past the end through its channel, as the FD backend would.
 *
 * <p>The mapping belongs to a shared {@link Arena} that {@link #close()} closes, which unmaps it
 * at once rather than whenever the garbage collector finds the buffer. The engine closes a file
 * only when no append or read can still be using it (close waits for both).
 *
 * <p>{@link #force()} msyncs only the pages written since the last force ({@code msync(MS_SYNC)},
 * which Linux implements as an fdatasync of that range). Writes record the pages they touched
 * <em>after</em> copying, and a force takes the range before syncing it, so a force that starts after
 * a write returned covers it; a write that lands during a force is left for the next one, as the
 * log's dirty flag already assumes. The range is one word (first and end page packed together),
 * so recording it is a compare-and-set, or only a read when the pages are already in it, and a
 * force takes it whole with one atomic swap: no lock on the write path. A shared mapping is the file's page cache, so other processes
 * reading the file with {@code pread} (the {@code walrus} tool) see what was copied in at once.
 */
public final class MappedDataFile implements DataFile {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    /**
     * The file's channel, kept for the bytes beyond the mapping: a damaged file shorter than its
     * header says is read and repaired (recovery writes a seal past its end) as pread/pwrite would,
     * growing it, rather than refused.
     */
    private final FileChannel channel;
    private final long length;
    private volatile boolean wroteBeyondMapping;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * The pages written since the last force, [first, end) in units of {@link #PAGE}: the first
     * page in the high 32 bits, the end page in the low 32 ({@link #NOTHING_DIRTY} when none). msync
     * works in whole pages anyway, and 32 bits of 4 KiB pages reach 16 TiB.
     */
    private final AtomicLong dirtyPages = new AtomicLong(NOTHING_DIRTY);

    private static final int PAGE_SHIFT = 12;
    private static final long PAGE = 1L << PAGE_SHIFT;
    private static final long NOTHING_DIRTY = 0xFFFF_FFFFL << 32;
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MappedDataFile(Path path, FileChannel channel, long length) throws IOException {
        this.path = path;
        this.channel = channel;
        this.length = length;
        if (length > (0xFFFF_FFFFL << PAGE_SHIFT)) {
            throw new IOException(path + " is " + length + " bytes: too long to map (at most 16 TiB)");
        }
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
            return new MappedDataFile(path, channel, length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Maps an existing file whole, at the length it has. */
    public static MappedDataFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new MappedDataFile(path, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
        int bytes = source.remaining();
        if (position < 0) {
            throw new IOException("write at negative position " + position + " of " + path);
        }
        if (position > length - bytes) {
            writeBeyondMapping(source, position);
            return;
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

    /** Only for damaged files shorter than their header says (see {@link #channel}). */
    private void writeBeyondMapping(ByteBuffer source, long position) throws IOException {
        wroteBeyondMapping = true;
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    /**
     * Copies {@code head} then {@code payload} into the mapping: eight bytes at a time for the head
     * (an entry header is 24) and one bulk copy for the payload, so nothing is allocated.
     */
    @Override
    public boolean writeInPlace(ByteBuffer head, byte[] payload, long position) throws IOException {
        int headBytes = head.remaining();
        long end = position + headBytes + payload.length;
        if (position < 0 || end > length) {
            return false;
        }
        ValueLayout.OfLong word = head.order() == ByteOrder.LITTLE_ENDIAN ? LONG_LE : LONG_BE;
        try {
            int from = head.position();
            int done = 0;
            for (; done + Long.BYTES <= headBytes; done += Long.BYTES) {
                mapping.set(word, position + done, head.getLong(from + done));
            }
            for (; done < headBytes; done++) {
                mapping.set(ValueLayout.JAVA_BYTE, position + done, head.get(from + done));
            }
            MemorySegment.copy(payload, 0, mapping, ValueLayout.JAVA_BYTE, position + headBytes, payload.length);
        } catch (InternalError fault) {
            throw new IOException("writing " + (end - position) + " bytes at " + position + " of mapped " + path
                    + " faulted (no space to back the page?): " + fault.getMessage(), fault);
        }
        head.position(head.limit());
        markDirty(position, end);
        return true;
    }

    /** Adds the pages of [start, end) to the dirty range; only a read when they are in it already. */
    private void markDirty(long start, long end) {
        if (end <= start) {
            return;
        }
        long first = start >>> PAGE_SHIFT;
        long last = (end + PAGE - 1) >>> PAGE_SHIFT;
        while (true) {
            long current = dirtyPages.get();
            long merged = pack(Math.min(first, current >>> 32), Math.max(last, current & 0xFFFF_FFFFL));
            if (merged == current || dirtyPages.compareAndSet(current, merged)) {
                return;
            }
        }
    }

    private static long pack(long firstPage, long endPage) {
        return firstPage << 32 | endPage;
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        if (position < 0) {
            throw new IOException("read at negative position " + position + " of " + path);
        }
        if (position + target.remaining() > length) {
            return readBeyondMapping(target, position);
        }
        int bytes = target.remaining();
        try {
            MemorySegment.copy(mapping, position, MemorySegment.ofBuffer(target), 0, bytes);
        } catch (InternalError fault) {
            throw new IOException("reading " + bytes + " bytes at " + position + " of mapped " + path
                    + " faulted (the file was truncated?): " + fault.getMessage(), fault);
        }
        target.position(target.position() + bytes);
        return bytes;
    }

    @Override
    public ByteBuffer mappedView(long position, int length) {
        if (position < 0 || length < 0 || position + length > this.length) {
            return null;
        }
        return mapping.asSlice(position, length).asReadOnly().asByteBuffer();
    }

    @Override
    public ByteBuffer pinnedView(long position, int length) {
        if (position < 0 || length < 0 || position + length > this.length) {
            return null;
        }
        return MemorySegment.ofAddress(mapping.address() + position).reinterpret(length).asReadOnly().asByteBuffer();
    }

    /** A read reaching past the mapping: the file may have grown (see {@link #channel}). */
    private int readBeyondMapping(ByteBuffer target, long position) throws IOException {
        int total = 0;
        while (target.hasRemaining()) {
            int n = channel.read(target, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** msync of the range written since the last force; nothing to do when nothing was written. */
    @Override
    public void force() throws IOException {
        long pages = dirtyPages.getAndSet(NOTHING_DIRTY);
        if (wroteBeyondMapping) {
            channel.force(false);
        }
        long start = (pages >>> 32) << PAGE_SHIFT;
        long end = Math.min(length, (pages & 0xFFFF_FFFFL) << PAGE_SHIFT);
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
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                arena.close();
            } finally {
                channel.close();
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
