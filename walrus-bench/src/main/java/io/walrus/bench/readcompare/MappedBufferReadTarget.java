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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

/**
 * The other ceiling: each file {@link MappedBufferWriteTarget} wrote, mapped read-only (its first
 * 1 GiB window, which holds everything a run of the comparison writes) and walked entry by entry,
 * each payload copied out into an array the reader reuses. One read is one entry; no system call.
 *
 * <p>{@link #verifying} walks the same way and also takes each payload's CRC32C (the JDK's, as
 * Walrus's verification does) before copying it: the most any reader that checks every entry
 * could reach on this machine, against which Walrus's own verified reads are judged.
 */
final class MappedBufferReadTarget implements ReadTarget {
    private static final int PREFIX = FileChannelWriteTarget.ENTRY_PREFIX_BYTES;
    private final Path directory;
    private final boolean checksum;
    /**
     * An arena per topic's mapping, as Walrus has one per file: a bulk read of a mapped buffer counts
     * itself into its arena with a compare-and-set, and two reading threads sharing one arena would
     * contend for that word on every entry.
     */
    private final List<Arena> arenas = new CopyOnWriteArrayList<>();

    private MappedBufferReadTarget(Path directory, boolean checksum) {
        this.directory = directory;
        this.checksum = checksum;
    }

    static MappedBufferReadTarget open(Path directory) {
        return new MappedBufferReadTarget(directory, false);
    }

    /** The walk with a CRC32C of every payload. */
    static MappedBufferReadTarget verifying(Path directory) {
        return new MappedBufferReadTarget(directory, true);
    }

    @Override
    public Reader reader(int topic) throws IOException {
        try (FileChannel channel = FileChannel.open(MappedBufferWriteTarget.fileOf(directory, topic),
                StandardOpenOption.READ)) {
            long size = Math.min(channel.size(), MappedBufferWriteTarget.WINDOW_BYTES);
            Arena arena = Arena.ofShared();
            arenas.add(arena);
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena).asByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            return checksum ? new ChecksummingReader(mapped) : new MappedReader(mapped);
        }
    }

    @Override
    public void close() {
        arenas.forEach(Arena::close);
    }

    /** The payload length of the entry at {@code position}, or 0 where what was written ends. */
    private static int lengthAt(ByteBuffer mapped, int position) {
        return mapped.limit() - position < PREFIX ? 0 : mapped.getInt(position);
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
            int length = lengthAt(mapped, position);
            if (length == 0) {
                return 0;
            }
            mapped.get(position + PREFIX, payload, 0, length);
            position += PREFIX + length;
            bytes += length;
            return 1;
        }
    }

    /**
     * {@link MappedReader}'s walk with a checksum of each payload; a class of its own, not a subclass,
     * so that neither row's profile shapes the code the JIT compiles for the other.
     */
    private static final class ChecksummingReader extends CountingReader {
        private final ByteBuffer mapped;
        /** The mapping again, its position and limit moved to each payload: a slice would allocate. */
        private final ByteBuffer window;
        private final CRC32C crc = new CRC32C();
        private final byte[] payload = new byte[64 << 10];
        private int position;
        /** Every checksum folded in, so the JIT cannot drop them. */
        long folded;

        ChecksummingReader(ByteBuffer mapped) {
            this.mapped = mapped;
            this.window = mapped.duplicate();
        }

        @Override
        public int read() {
            int length = lengthAt(mapped, position);
            if (length == 0) {
                return 0;
            }
            int at = position + PREFIX;
            window.limit(at + length).position(at);
            crc.reset();
            crc.update(window);
            folded += crc.getValue();
            mapped.get(at, payload, 0, length);
            position = at + length;
            bytes += length;
            return 1;
        }
    }
}
