package io.walrus.log;

import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.BlockHeader;
import io.walrus.format.DataFileNames;
import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.format.RetentionManifest;
import io.walrus.format.SealRecord;
import io.walrus.retention.RetentionStore;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rebuilds an instance from its directory: opens every data file, finds every block a topic owns,
 * and lets {@link ChainScanner} verify each topic's entries. A damaged tail is cut off (and said so
 * in the log); nothing that does not verify is ever kept.
 *
 * <p>After a crash (no clean-shutdown marker) every recovered block is sealed: bytes after the cut
 * may be a torn entry followed by whole ones from before the crash, and writing new entries in
 * between could one day line them up into something that verifies. New entries go to new blocks.
 */
final class Recovery {
    /** A block header found on disk. */
    record FoundBlock(LogFile file, int index, BlockHeader header) {
        Block toBlock() {
            return new Block(file, index, file.blockOffset(index), file.header.blockSize(), header.length(),
                    header.nonce(), header.blockSeq(), header.baseSequence());
        }
    }

    /**
     * A topic as recovered: its chain (and, when that is empty, where the topic starts), its writer's
     * and default reader's state, and whether the default consumer had a cursor for it.
     */
    record RecoveredTopic(String name, Block[] chain, TopicWriter.State writer, TopicReader.Position reader,
                          long emptyFloor, long emptyBlockSeq, boolean cursorFound) {
        TopicChain topicChain() {
            return new TopicChain(chain, 0, emptyFloor, emptyBlockSeq);
        }
    }

    /**
     * What recovery found: the files, the topics, how many entries they hold, how many seal records
     * it read, and the sealed blocks it read entry by entry, to be recorded once a flush has made
     * them durable (so the next open need not read them again).
     */
    record Result(List<LogFile> files, List<RecoveredTopic> topics, long entries, int sealRecords,
                  List<Block> toRecord) {
    }

    private static final int SCAN_BUFFER = 1 << 20;
    private static final int BLOCK_HEADER_READ = FormatDescriptor.blockHeaderLength(FormatDescriptor.MAX_TOPIC_NAME_BYTES);

    private final Path directory;
    private final DataFiles dataFiles;
    private final boolean cleanShutdown;
    private final Map<String, Cursor> cursors;
    private final CursorStore cursorStore;
    private final System.Logger logger;
    /** Where topics start after deletion of consumed files (docs/FORMAT.md, "Retention"). */
    private final Map<String, RetentionManifest.Floor> floors;
    /** The RETENTION file was there but did not verify: floors are taken from the cursors instead. */
    private final boolean floorsLost;
    private final Map<Long, SealRecord> seals;
    private final List<Block> toRecord = new ArrayList<>();

    Recovery(Path directory, DataFiles dataFiles, boolean cleanShutdown, CursorStore cursorStore,
             System.Logger logger) throws IOException {
        this.directory = directory;
        this.dataFiles = dataFiles;
        this.cleanShutdown = cleanShutdown;
        this.cursorStore = cursorStore;
        this.cursors = cursorStore.loadAll();
        this.logger = logger;
        this.seals = SealLog.load(directory);
        RetentionStore.Loaded loaded = new RetentionStore(directory).load(logger);
        this.floors = loaded.floors();
        this.floorsLost = loaded.damaged();
    }

    Result run() throws IOException {
        List<LogFile> files = new ArrayList<>();
        Map<String, List<FoundBlock>> blocksByTopic = new HashMap<>();
        try {
            ByteBuffer headerBuffer = FormatDescriptor.order(ByteBuffer.allocateDirect(FormatDescriptor.FILE_HEADER_SIZE));
            for (Path path : dataFiles()) {
                LogFile file = openFile(path, headerBuffer, blocksByTopic);
                if (file != null) {
                    files.add(file);
                }
            }
            List<RecoveredTopic> topics = new ArrayList<>();
            ChainScanner scanner = new ChainScanner(
                    FormatDescriptor.order(ByteBuffer.allocateDirect(SCAN_BUFFER)), logger, seals);
            long entries = 0;
            java.util.Set<String> names = new java.util.HashSet<>(blocksByTopic.keySet());
            names.addAll(floors.keySet());
            for (String name : names) {
                List<FoundBlock> blocks = blocksByTopic.getOrDefault(name, new ArrayList<>());
                blocks.sort(Comparator.comparingLong(found -> found.header().blockSeq()));
                RecoveredTopic recovered = recoverTopic(name, blocks, scanner);
                if (recovered.chain().length > 0) {
                    entries += recovered.writer().nextSequence() - recovered.chain()[0].baseSequence;
                }
                topics.add(recovered);
            }
            restartCursorsOfLostTopics(names);
            countReleasedBlocks(files, topics);
            return new Result(files, topics, entries, seals.size(), toRecord);
        } catch (IOException | RuntimeException e) {
            for (LogFile file : files) {
                file.io.close();
            }
            throw e;
        }
    }

    private List<Path> dataFiles() throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(p -> DataFileNames.fileSequence(p).isPresent())
                    .sorted(Comparator.comparingLong(p -> DataFileNames.fileSequence(p).getAsLong()))
                    .toList();
        }
    }

    /** Opens a data file and records its blocks; a file without a valid header is set aside, never deleted. */
    private LogFile openFile(Path path, ByteBuffer headerBuffer, Map<String, List<FoundBlock>> blocksByTopic)
            throws IOException {
        DataFile io = dataFiles.open(path);
        headerBuffer.clear();
        io.read(headerBuffer, 0);
        FileHeader header = FileHeader.decode(headerBuffer.flip()).orElse(null);
        if (header == null) {
            io.close();
            Path aside = path.resolveSibling(path.getFileName() + ".unreadable");
            Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
            logger.log(Level.ERROR, "data file {0} has no valid header (a power loss before the first flush after its "
                    + "creation, when it held no durable entry, or damage); moved it aside to {1}", path, aside);
            return null;
        }
        LogFile file = new LogFile(io, header, 0);
        if (shorterThanItsHeaderSays(io, header)) {
            // Cut short (damage): its blocks are read entry by entry, whatever the seal records say.
            for (int index = 0; index < header.blockCount(); index++) {
                seals.remove(SealRecord.key(header.fileSequence(), index));
            }
        }
        ByteBuffer blockHeader = FormatDescriptor.order(ByteBuffer.allocate(BLOCK_HEADER_READ));
        for (int index = 0; index < header.blockCount(); index++) {
            blockHeader.clear().limit(Math.min(BLOCK_HEADER_READ, header.blockSize()));
            io.read(blockHeader, file.blockOffset(index));
            var found = BlockHeader.decode(blockHeader.flip());
            if (found.isPresent()) {
                blocksByTopic.computeIfAbsent(found.get().topic(), t -> new ArrayList<>())
                        .add(new FoundBlock(file, index, found.get()));
                file.allocatedBlocks = index + 1;
            }
        }
        return file;
    }

    private static boolean shorterThanItsHeaderSays(DataFile io, FileHeader header) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        return io.read(last, header.fileLength() - 1) < 1;
    }

    private RecoveredTopic recoverTopic(String name, List<FoundBlock> found, ChainScanner scanner) throws IOException {
        Cursor cursor = cursors.get(name);
        long cursorSequence = cursor == null ? -1 : cursor.nextSequence();
        RetentionManifest.Floor floor = floors.getOrDefault(name, new RetentionManifest.Floor(0, 0));
        long maxBlockSeq = Math.max(floor.blockSeq() - 1, found.isEmpty() ? -1 : found.getLast().header().blockSeq());
        List<FoundBlock> blocks = retained(found, floor, cursorSequence);
        if (blocks.isEmpty()) {
            // Every block was deleted (or is about to be: a crash came before its file was): the topic holds nothing.
            long next = Math.max(floor.sequence(), 0);
            clampCursorOfEmptyTopic(name, cursor, next);
            return new RecoveredTopic(name, new Block[0], new TopicWriter.State(null, 0, next, maxBlockSeq + 1),
                    new TopicReader.Position(0, 0, next), next, maxBlockSeq + 1, cursor != null);
        }
        ChainScanner.Chain chain = scanner.scan(name, blocks, Math.max(cursorSequence, floor.sequence()));
        Block[] array = chain.blocks().toArray(Block[]::new);
        maxBlockSeq = Math.max(maxBlockSeq, chain.maxBlockSeq());
        if (array.length == 0) {
            makeCutDurable(chain, null);
            clampCursorOfEmptyTopic(name, cursor, chain.nextSequence());
            return new RecoveredTopic(name, array, new TopicWriter.State(null, 0, chain.nextSequence(), maxBlockSeq + 1),
                    new TopicReader.Position(0, 0, chain.nextSequence()), chain.nextSequence(), maxBlockSeq + 1,
                    cursor != null);
        }
        Block last = array[array.length - 1];
        for (int i = 0; i < array.length - 1; i++) {
            array[i].seal();
        }
        TopicWriter.State writer;
        boolean resumable = cleanShutdown && !chain.damaged();
        if (!resumable) {
            if (cleanShutdown) {
                logger.log(Level.WARNING, "topic ''{0}'': damaged data found after a clean shutdown; the topic ends at "
                        + "entry {1}, and new entries go to a new block", name, chain.nextSequence());
            }
            makeCutDurable(chain, last);
        }
        boolean resumeInLast = resumable && !chain.lastSealedOnDisk() && !last.trusted;
        if (resumeInLast) {
            writer = new TopicWriter.State(last, last.committedEnd(), chain.nextSequence(), maxBlockSeq + 1);
        } else {
            last.seal();
            writer = new TopicWriter.State(null, 0, chain.nextSequence(), maxBlockSeq + 1);
        }
        for (int i = 0; i < array.length; i++) {
            if (!array[i].trusted && (i < array.length - 1 || !resumeInLast)) {
                toRecord.add(array[i]); // sealed, read whole: recorded after the first flush
            }
        }
        return new RecoveredTopic(name, array, writer, readerPosition(name, cursor, chain, array), 0, 0,
                cursor != null);
    }

    /**
     * The blocks of a topic that are still part of it: those at or after its retention floor. Blocks
     * below it were consumed by every consumer that counted, and their file was being deleted when
     * the instance stopped (or is kept for another topic's blocks): they are not read, and their
     * file is deleted once nothing else in it is live.
     *
     * <p>When the RETENTION file was lost to damage, the floor is not known: the default consumer's
     * cursor stands in for it, and leading blocks whose successor starts at or before it are taken
     * as consumed (a file deleted between them must not look like a gap).
     */
    private List<FoundBlock> retained(List<FoundBlock> blocks, RetentionManifest.Floor floor, long cursorSequence) {
        int from = 0;
        if (floorsLost) {
            while (from + 1 < blocks.size() && blocks.get(from + 1).header().baseSequence() <= cursorSequence) {
                from++;
            }
        } else {
            while (from < blocks.size() && blocks.get(from).header().blockSeq() < floor.blockSeq()) {
                from++;
            }
        }
        return new ArrayList<>(blocks.subList(from, blocks.size()));
    }

    /** A cursor beyond the end of a topic that holds nothing is pulled back to its end, durably. */
    private void clampCursorOfEmptyTopic(String name, Cursor cursor, long next) throws IOException {
        if (cursor != null && cursor.nextSequence() > next) {
            logger.log(Level.WARNING, "topic ''{0}'': its cursor was at entry {1} but the topic now ends at entry {2}; "
                    + "reading resumes at the end", name, cursor.nextSequence(), next);
            cursorStore.save(name, new Cursor(next, -1, 0));
        }
    }

    /**
     * Every block handed out in a file that no recovered chain holds (consumed below a floor, cut away,
     * skipped, erased) is released: once all of a file's blocks are, the reclaimer deletes it.
     */
    private static void countReleasedBlocks(List<LogFile> files, List<RecoveredTopic> topics) {
        Map<LogFile, Integer> live = new HashMap<>();
        for (RecoveredTopic topic : topics) {
            for (Block block : topic.chain()) {
                live.merge(block.file, 1, Integer::sum);
            }
        }
        for (LogFile file : files) {
            file.release(file.allocatedBlocks - live.getOrDefault(file, 0));
        }
    }

    /**
     * After a crash or on finding damage, writes down what this recovery decided, so no later recovery can decide
     * otherwise: discarded blocks lose their header (they can never be taken for part of the chain
     * again, even when a later block happens to start at the same sequence), and the last block gets
     * a seal record at its end (nothing after the cut is ever read, and no writer appends there).
     */
    private void makeCutDurable(ChainScanner.Chain chain, Block last) throws IOException {
        java.util.Set<LogFile> touched = new java.util.HashSet<>();
        ByteBuffer bytes = FormatDescriptor.order(ByteBuffer.allocate(FormatDescriptor.ENTRY_HEADER_SIZE));
        for (FoundBlock discarded : chain.discarded()) {
            bytes.clear();
            bytes.putInt(0, 0).limit(4);
            discarded.file().io.write(bytes, discarded.file().blockOffset(discarded.index()));
            touched.add(discarded.file());
        }
        boolean room = last != null && last.capacity - last.committedEnd() >= FormatDescriptor.ENTRY_HEADER_SIZE;
        if (room && !chain.lastSealedOnDisk()) {
            bytes.clear();
            new io.walrus.format.EntryCodec().encodeSeal(bytes, 0, chain.nextSequence(), last.nonce);
            last.file.io.write(bytes, last.fileOffset + last.committedEnd());
            touched.add(last.file);
        }
        for (LogFile file : touched) {
            file.io.force();
        }
    }

    /**
     * A cursor whose topic lost every block in a crash (never flushed under a non-sync schedule) would
     * skip the entries the topic gets next, which start again at entry 0: it starts over too.
     */
    private void restartCursorsOfLostTopics(java.util.Set<String> recovered) throws IOException {
        for (Map.Entry<String, Cursor> cursor : cursors.entrySet()) {
            if (!recovered.contains(cursor.getKey()) && cursor.getValue().nextSequence() > 0) {
                logger.log(Level.WARNING, "topic ''{0}'': its cursor was at entry {1} but no entry of the topic "
                        + "survived a crash; reading starts over at its first entry", cursor.getKey(),
                        cursor.getValue().nextSequence());
                cursorStore.save(cursor.getKey(), new Cursor(0, -1, 0));
            }
        }
    }

    private TopicReader.Position readerPosition(String name, Cursor cursor, ChainScanner.Chain chain, Block[] blocks)
            throws IOException {
        Block first = blocks[0];
        if (cursor == null || cursor.nextSequence() <= first.baseSequence) {
            return new TopicReader.Position(0, first.headerLength, first.baseSequence);
        }
        if (chain.cursorBlock() >= 0) {
            return new TopicReader.Position(chain.cursorBlock(), chain.cursorOffset(), cursor.nextSequence());
        }
        if (cursor.nextSequence() < chain.nextSequence()) {
            // In a block taken from its seal record, whose entries were not read: found by the cursor's hint.
            return new CursorResolver().resolve(blocks, cursor).position();
        }
        Block last = blocks[blocks.length - 1];
        if (cursor.nextSequence() > chain.nextSequence()) {
            logger.log(Level.WARNING, "topic ''{0}'': its cursor was at entry {1} but the log now ends at entry {2} "
                    + "(entries written after the last flush were lost in a crash); reading resumes at the end",
                    name, cursor.nextSequence(), chain.nextSequence());
            // Saved now, before new appends reuse those sequence numbers: the cursor must not skip them.
            cursorStore.save(name, new Cursor(chain.nextSequence(), last.blockSeq, last.committedEnd()));
        }
        return new TopicReader.Position(blocks.length - 1, last.committedEnd(), chain.nextSequence());
    }
}
