package io.walrus.log;

import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.BlockHeader;
import io.walrus.format.DataFileNames;
import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.format.RetentionManifest;
import io.walrus.inspect.DataFileInfo;
import io.walrus.inspect.StoredEntry;
import io.walrus.inspect.TopicInfo;
import io.walrus.inspect.VerifyReport;
import io.walrus.retention.RetentionStore;
import io.walrus.storage.ChannelDataFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An instance directory read the way {@link Recovery} reads it, but without changing anything:
 * data files are opened read-only, no lock is taken, and nothing recovery would write (a file moved
 * aside, a seal record, an erased block header, a cursor) is written. Each topic's chain comes from
 * {@link ChainScanner} itself, so what this reports as kept is exactly what the next open keeps.
 *
 * <p>Safe beside a live writer in another process: an entry counts only once it verifies, and a
 * block or file whose header does not verify yet is looked at again by {@link #refresh()}. Not
 * thread-safe: one thread uses an instance.
 */
public final class ReadOnlyLog implements AutoCloseable {
    private static final int BLOCK_HEADER_READ =
            FormatDescriptor.blockHeaderLength(FormatDescriptor.MAX_TOPIC_NAME_BYTES);
    private static final int SCAN_BUFFER = 1 << 20;

    /** What the start of a block holds. */
    enum Slot {
        /** Zeros: never handed out. */
        EMPTY,
        /** A block header that verifies: the block belongs to a topic. */
        OWNED,
        /** A header whose marker a recovery zeroed: the block was cut away or skipped after a crash. */
        ERASED,
        /** The block marker, but the rest of the header does not verify. */
        DAMAGED_HEADER,
        /** Neither zeros nor a header. */
        GARBAGE
    }

    /** A data file as read: its header (null while it does not verify) and what each block holds. */
    static final class ScannedFile {
        final Path path;
        final long fileSequence;
        final ChannelDataFile io;
        final long size;
        LogFile file;
        boolean headerZero;
        Slot[] slots = new Slot[0];

        ScannedFile(Path path, long fileSequence, ChannelDataFile io, long size) {
            this.path = path;
            this.fileSequence = fileSequence;
            this.io = io;
            this.size = size;
        }

        String name() {
            return path.getFileName().toString();
        }

        /** Blocks up to the last one that is not empty. */
        int blocksUsed() {
            for (int i = slots.length - 1; i >= 0; i--) {
                if (slots[i] != Slot.EMPTY) {
                    return i + 1;
                }
            }
            return 0;
        }
    }

    private final Path directory;
    private final boolean cleanShutdown;
    private final List<Path> damagedCursors = new ArrayList<>();
    private final Map<String, Cursor> cursors;
    /** Where topics start after deletion of consumed files: blocks below are consumed and not read. */
    private final Map<String, RetentionManifest.Floor> floors;
    private final List<ScannedFile> files = new ArrayList<>();
    private final Map<String, List<Recovery.FoundBlock>> blocksByTopic = new TreeMap<>();
    private final Map<String, ChainScanner.Chain> chains = new HashMap<>();
    private final Map<String, List<String>> scannerNotes = new HashMap<>();
    private final ByteBuffer headerBuffer = FormatDescriptor.order(ByteBuffer.allocate(FormatDescriptor.FILE_HEADER_SIZE));
    private ChainScanner scanner;
    private String scanning;

    private ReadOnlyLog(Path directory) throws IOException {
        this.directory = directory;
        this.cleanShutdown = Files.exists(directory.resolve(DataFileNames.CLEAN_SHUTDOWN_FILE));
        this.cursors = CursorStore.readAll(directory, damagedCursors);
        this.floors = RetentionStore.read(directory).floors();
    }

    /** Reads the directory's data files and block headers; {@code directory} must exist. */
    public static ReadOnlyLog open(Path directory) throws IOException {
        ReadOnlyLog log = new ReadOnlyLog(directory);
        try {
            log.refresh();
            return log;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    /** Whether the {@code CLEAN} marker was there when this view was opened. */
    public boolean cleanShutdown() {
        return cleanShutdown;
    }

    /**
     * Looks again for what a live writer may have added since: new data files, headers of files
     * being created, and block headers where blocks were empty (or not yet whole).
     */
    public void refresh() throws IOException {
        List<Path> paths;
        try (Stream<Path> listing = Files.list(directory)) {
            paths = listing.filter(p -> DataFileNames.fileSequence(p).isPresent()).toList();
        }
        for (Path path : paths) {
            if (files.stream().noneMatch(f -> f.path.equals(path))) {
                ChannelDataFile io;
                try {
                    io = ChannelDataFile.open(path, false);
                } catch (java.nio.file.NoSuchFileException deleted) {
                    continue; // consumed and deleted by the instance that holds the directory, since the listing
                }
                files.add(new ScannedFile(path, DataFileNames.fileSequence(path).getAsLong(), io, io.size()));
            }
        }
        files.sort(Comparator.comparingLong(f -> f.fileSequence));
        for (ScannedFile scanned : files) {
            if (scanned.file == null) {
                readFileHeader(scanned);
            }
            if (scanned.file != null) {
                readBlockHeaders(scanned);
            }
        }
    }

    private void readFileHeader(ScannedFile scanned) throws IOException {
        headerBuffer.clear();
        int got = scanned.io.read(headerBuffer, 0);
        headerBuffer.flip();
        FileHeader header = FileHeader.decode(headerBuffer).orElse(null);
        scanned.headerZero = isZero(headerBuffer, Math.min(got, FormatDescriptor.FILE_HEADER_USED));
        if (header != null) {
            scanned.file = new LogFile(scanned.io, header, 0);
            scanned.slots = new Slot[header.blockCount()];
            java.util.Arrays.fill(scanned.slots, Slot.EMPTY);
        }
    }

    private void readBlockHeaders(ScannedFile scanned) throws IOException {
        LogFile file = scanned.file;
        int blockSize = file.header.blockSize();
        ByteBuffer bytes = FormatDescriptor.order(ByteBuffer.allocate(Math.min(BLOCK_HEADER_READ, blockSize)));
        for (int index = 0; index < scanned.slots.length; index++) {
            if (scanned.slots[index] == Slot.OWNED || file.blockOffset(index) >= scanned.size) {
                continue;
            }
            bytes.clear();
            scanned.io.read(bytes, file.blockOffset(index));
            bytes.flip();
            Optional<BlockHeader> header = BlockHeader.decode(bytes);
            if (header.isPresent()) {
                scanned.slots[index] = Slot.OWNED;
                file.allocatedBlocks = Math.max(file.allocatedBlocks, index + 1);
                blocksByTopic.computeIfAbsent(header.get().topic(), t -> new ArrayList<>())
                        .add(new Recovery.FoundBlock(file, index, header.get()));
            } else {
                scanned.slots[index] = classify(bytes);
            }
        }
    }

    private static Slot classify(ByteBuffer bytes) {
        int used = Math.min(bytes.limit(), FormatDescriptor.BLOCK_NAME_OFFSET);
        if (isZero(bytes, used)) {
            return Slot.EMPTY;
        }
        int marker = bytes.limit() >= 4 ? bytes.getInt(FormatDescriptor.BLOCK_MARKER_OFFSET) : 0;
        if (marker == 0) {
            return Slot.ERASED;
        }
        return marker == FormatDescriptor.BLOCK_MARKER ? Slot.DAMAGED_HEADER : Slot.GARBAGE;
    }

    private static boolean isZero(ByteBuffer bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ what is there

    List<ScannedFile> scannedFiles() {
        return files;
    }

    public List<DataFileInfo> files() {
        List<DataFileInfo> infos = new ArrayList<>(files.size());
        for (ScannedFile f : files) {
            FileHeader h = f.file == null ? null : f.file.header;
            infos.add(h == null
                    ? new DataFileInfo(f.name(), f.fileSequence, f.size, false, 0, 0, 0, Optional.empty())
                    : new DataFileInfo(f.name(), f.fileSequence, f.size, true, h.blockSize(), h.blockCount(),
                            f.blocksUsed(), Optional.of(Instant.ofEpochMilli(h.createdMillis()))));
        }
        return infos;
    }

    /** Names of every topic with at least one block, sorted. */
    public Set<String> topicNames() {
        return blocksByTopic.keySet();
    }

    /**
     * The topic's blocks in {@code blockSeq} order (empty for an unknown topic), from its retention
     * floor on: blocks below it were consumed, and recovery does not read them either.
     */
    List<Recovery.FoundBlock> blocksOf(String topic) {
        List<Recovery.FoundBlock> blocks = blocksByTopic.getOrDefault(topic, List.of());
        if (blocks.isEmpty()) {
            return List.of();
        }
        blocks.sort(Comparator.comparingLong(found -> found.header().blockSeq()));
        long floorBlockSeq = floorOf(topic).blockSeq();
        int from = 0;
        while (from < blocks.size() && blocks.get(from).header().blockSeq() < floorBlockSeq) {
            from++;
        }
        return from == 0 ? blocks : blocks.subList(from, blocks.size());
    }

    private RetentionManifest.Floor floorOf(String topic) {
        return floors.getOrDefault(topic, new RetentionManifest.Floor(0, 0));
    }

    Map<String, Cursor> cursors() {
        return cursors;
    }

    List<Path> damagedCursors() {
        return damagedCursors;
    }

    /** The topic's chain as recovery would keep it (scanned once, then remembered); null for an unknown topic. */
    ChainScanner.Chain chain(String topic) throws IOException {
        ChainScanner.Chain chain = chains.get(topic);
        if (chain == null && blocksByTopic.containsKey(topic)) {
            chain = scanChain(topic);
            chains.put(topic, chain);
        }
        return chain;
    }

    /** Scans the topic's chain afresh: for a follower, after a live writer may have added to it. */
    ChainScanner.Chain scanChain(String topic) throws IOException {
        if (scanner == null) {
            scanner = new ChainScanner(FormatDescriptor.order(ByteBuffer.allocateDirect(SCAN_BUFFER)), new NoteTaker());
        }
        scanning = topic;
        scannerNotes.remove(topic);
        List<Recovery.FoundBlock> blocks = blocksOf(topic);
        if (blocks.isEmpty()) {
            long next = floorOf(topic).sequence();
            return new ChainScanner.Chain(List.of(), next, -1, -1, 0, false, List.of(), false);
        }
        return scanner.scan(topic, blocks, floorOf(topic).sequence() > 0 ? floorOf(topic).sequence() : -1);
    }

    /** What recovery would have logged about the topic (blocks it skips, a batch it drops). */
    List<String> scannerNotes(String topic) {
        return scannerNotes.getOrDefault(topic, List.of());
    }

    /** The topic as recovery would keep it, with its persisted cursor; empty for an unknown topic. */
    public Optional<TopicInfo> topic(String name) throws IOException {
        ChainScanner.Chain chain = chain(name);
        if (chain == null) {
            return Optional.empty();
        }
        long bytes = 0;
        for (Block block : chain.blocks()) {
            bytes += block.committedEnd() - block.headerLength;
        }
        long next = chain.nextSequence();
        long first = chain.blocks().isEmpty() ? next : chain.blocks().getFirst().baseSequence;
        Cursor cursor = cursors.get(name);
        long from = cursor == null ? first : Math.clamp(cursor.nextSequence(), first, next);
        return Optional.of(new TopicInfo(name, chain.blocks().size(), first, next, next - first, bytes,
                cursor == null ? OptionalLong.empty() : OptionalLong.of(cursor.nextSequence()), next - from));
    }

    public List<TopicInfo> topics() throws IOException {
        List<TopicInfo> topics = new ArrayList<>();
        for (String name : topicNames()) {
            topics.add(topic(name).orElseThrow());
        }
        return topics;
    }

    /** Checks every header and entry and reports what is damaged, and where. */
    public VerifyReport verify() throws IOException {
        return new DirectoryAudit(this).run();
    }

    /** The topic's entries from {@code fromSequence} on, as recovery would keep them; nothing is held back. */
    public EntryStream entries(String topic, long fromSequence) throws IOException {
        ChainScanner.Chain chain = chain(topic);
        return new EntryStream(topic, chain == null ? new Block[0] : chain.blocks().toArray(Block[]::new),
                fromSequence);
    }

    /** Follows the topic from {@code fromSequence}, picking up what a live writer appends. */
    public LiveTopicReader follow(String topic, long fromSequence) throws IOException {
        return new LiveTopicReader(this, topic, fromSequence);
    }

    /** Entries of a verified chain, in order; reads each one again and verifies it as it goes. */
    public static final class EntryStream {
        private final String topic;
        private final Block[] blocks;
        private final FrameReader reader = new FrameReader();
        private final long from;
        private int blockIndex;
        private int offset;
        private long next;

        EntryStream(String topic, Block[] blocks, long from) {
            this.topic = topic;
            this.blocks = blocks;
            this.from = from;
            // Start in the last block that begins at or before the first entry wanted.
            while (blockIndex + 1 < blocks.length && blocks[blockIndex + 1].baseSequence <= from) {
                blockIndex++;
            }
            if (blocks.length > 0) {
                offset = blocks[blockIndex].headerLength;
                next = blocks[blockIndex].baseSequence;
            }
        }

        /** The next entry, or empty at the end of the chain. */
        public Optional<StoredEntry> next() throws IOException {
            while (blockIndex < blocks.length) {
                Block block = blocks[blockIndex];
                if (offset >= block.committedEnd()) {
                    if (++blockIndex < blocks.length) {
                        offset = blocks[blockIndex].headerLength;
                        next = blocks[blockIndex].baseSequence;
                    }
                    continue;
                }
                FrameReader.Kind kind = reader.read(block, offset);
                if (kind != FrameReader.Kind.ENTRY || reader.sequence != next) {
                    throw new IOException("entry " + next + " of topic '" + topic + "' in " + block + " at offset "
                            + offset + " no longer verifies (" + kind + "): the file changed after it was scanned");
                }
                int at = offset;
                offset += reader.frameLength;
                next++;
                if (reader.sequence >= from) {
                    return Optional.of(new StoredEntry(topic, reader.sequence, block.file.toString(),
                            block.indexInFile, at, reader.payload()));
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ScannedFile f : files) {
            try {
                f.io.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        files.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Keeps what {@link ChainScanner} would have logged during a recovery, as notes on the topic scanned. */
    private final class NoteTaker implements System.Logger {
        @Override
        public String getName() {
            return "io.walrus.inspect";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            scannerNotes.computeIfAbsent(scanning, t -> new ArrayList<>()).add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            String text = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
            scannerNotes.computeIfAbsent(scanning, t -> new ArrayList<>()).add(text);
        }
    }
}
