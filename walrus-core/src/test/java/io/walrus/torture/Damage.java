package io.walrus.torture;

import io.walrus.format.BlockHeader;
import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One injected corruption of a closed data file, aimed where it hurts: a bit of the file header, of a
 * block header, of an entry header or of a payload, a sector of zeros, or the file cut short. Places
 * are found by walking the file with the format's own layout, so headers are hit as often as payloads.
 */
record Damage(Kind kind, Path file, long offset, int detail) {
    enum Kind { FILE_HEADER_BIT, BLOCK_HEADER_BIT, ENTRY_HEADER_BIT, PAYLOAD_BIT, ZEROED_SECTOR, TRUNCATION }

    private static final int SECTOR = 512;

    /**
     * Where an undamaged data file's headers and payloads are, so damages can be aimed at them; read
     * once from the original and used for every copy.
     */
    static Layout layoutOf(Path file) throws IOException {
        return Layout.of(file);
    }

    /** Picks a damage for one of the files laid out in {@code layouts}, at random but within what the file really holds. */
    static Damage pick(List<Layout> layouts, Path copyDirectory, Random random) {
        Layout layout = layouts.get(random.nextInt(layouts.size()));
        Path file = copyDirectory.resolve(layout.file().getFileName());
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        return switch (kind) {
            case FILE_HEADER_BIT -> new Damage(kind, file, random.nextInt(FormatDescriptor.FILE_HEADER_USED), random.nextInt(8));
            case BLOCK_HEADER_BIT -> {
                long[] block = layout.blockHeaders.get(random.nextInt(layout.blockHeaders.size()));
                yield new Damage(kind, file, block[0] + random.nextInt((int) block[1]), random.nextInt(8));
            }
            case ENTRY_HEADER_BIT -> layout.entryHeaders.isEmpty() ? pick(layouts, copyDirectory, random)
                    : new Damage(kind, file, layout.entryHeaders.get(random.nextInt(layout.entryHeaders.size()))
                    + random.nextInt(FormatDescriptor.ENTRY_HEADER_SIZE), random.nextInt(8));
            case PAYLOAD_BIT -> {
                if (layout.payloads.isEmpty()) {
                    yield pick(layouts, copyDirectory, random);
                }
                long[] payload = layout.payloads.get(random.nextInt(layout.payloads.size()));
                yield new Damage(kind, file, payload[0] + random.nextLong(payload[1]), random.nextInt(8));
            }
            case ZEROED_SECTOR -> new Damage(kind, file, random.nextLong(layout.usedEnd / SECTOR + 1) * SECTOR, SECTOR);
            case TRUNCATION -> new Damage(kind, file, random.nextLong(layout.usedEnd + 1), 0);
        };
    }

    void apply() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            switch (kind) {
                case TRUNCATION -> channel.truncate(offset);
                case ZEROED_SECTOR -> channel.write(ByteBuffer.allocate(detail), offset);
                default -> {
                    ByteBuffer one = ByteBuffer.allocate(1);
                    channel.read(one, offset);
                    one.put(0, (byte) (one.get(0) ^ (1 << detail))).clear();
                    channel.write(one, offset);
                }
            }
        }
    }

    @Override
    public String toString() {
        return kind + " at " + file.getFileName() + ":" + offset + (kind == Kind.TRUNCATION || kind == Kind.ZEROED_SECTOR ? "" : " bit " + detail);
    }

    /** Where a data file's headers and payloads are: [offset, length] pairs for blocks and payloads. */
    record Layout(Path file, List<long[]> blockHeaders, List<Long> entryHeaders, List<long[]> payloads, long usedEnd) {
        static Layout of(Path file) throws IOException {
            List<long[]> blocks = new ArrayList<>();
            List<Long> entries = new ArrayList<>();
            List<long[]> payloads = new ArrayList<>();
            long usedEnd = FormatDescriptor.FILE_HEADER_SIZE;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                FileHeader header = FileHeader.decode(read(channel, 0, FormatDescriptor.FILE_HEADER_SIZE)).orElseThrow();
                for (int b = 0; b < header.blockCount(); b++) {
                    long start = FormatDescriptor.blockOffset(header.blockSize(), b);
                    ByteBuffer block = read(channel, start, header.blockSize());
                    BlockHeader blockHeader = BlockHeader.decode(block.duplicate().order(FormatDescriptor.BYTE_ORDER)).orElse(null);
                    if (blockHeader == null) {
                        break;
                    }
                    blocks.add(new long[] {start, blockHeader.length()});
                    int at = blockHeader.length();
                    while (at + FormatDescriptor.ENTRY_HEADER_SIZE <= header.blockSize()
                            && block.getInt(at + FormatDescriptor.ENTRY_MARKER_OFFSET) == FormatDescriptor.ENTRY_MARKER) {
                        int length = block.getInt(at + FormatDescriptor.ENTRY_LENGTH_OFFSET);
                        entries.add(start + at);
                        if (length > 0) {
                            payloads.add(new long[] {start + at + FormatDescriptor.ENTRY_HEADER_SIZE, length});
                        }
                        at += (int) FormatDescriptor.entryFrameLength(length);
                    }
                    usedEnd = start + at;
                }
            }
            return new Layout(file, blocks, entries, payloads, usedEnd);
        }

        private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length).order(FormatDescriptor.BYTE_ORDER);
            while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                // keep reading
            }
            return buffer.clear();
        }
    }
}
