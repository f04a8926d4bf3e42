package io.walrus.log;

import io.walrus.format.DataFileNames;
import io.walrus.format.FormatDescriptor;
import io.walrus.format.SealRecord;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@code SEALS} file: a record per sealed block whose data is durable, so that {@code open()}
 * reads only the blocks still being written (see {@link SealRecord}).
 *
 * <p>A block is queued when its writer seals it; a flush takes the queue before it forces the data
 * files and appends the records (and fsyncs them) only after every force succeeded, so no record
 * names data that a machine crash could still take back. Under {@code noFsync()} that is at close.
 *
 * <p>Trusting a record means not reading the block's entries at open: damage in it is found when a
 * reader reaches it ({@link EntryWindow} verifies every entry). The reader then gets an IOException
 * naming the entry, and the file is deleted ({@link #distrust()}), so the next open reads every block
 * and cuts the topic where the damage is, as it always did.
 */
final class SealLog {
    private final Path directory;
    private final Path file;
    private final System.Logger logger;
    /**
     * At most this many blocks wait for a flush (under {@code noFsync()} none comes until close):
     * memory stays bounded, and a block not queued is read at the next open instead.
     */
    static final int MAX_PENDING = 65_536;

    /**
     * Per lane, the sealed blocks no flush has made durable yet; index 0 holds those of files no lane
     * fills (found at open), which every lane's flush forces, index {@code lane + 1} those of a lane.
     */
    private final List<ConcurrentLinkedQueue<Block>> pending;
    private final java.util.concurrent.atomic.AtomicInteger pendingCount = new java.util.concurrent.atomic.AtomicInteger();
    private final Object appendLock = new Object();
    private FileChannel channel;
    private long appended;
    private boolean distrusted;

    SealLog(Path directory, System.Logger logger, int recordsOnDisk, int lanes) {
        List<ConcurrentLinkedQueue<Block>> queues = new ArrayList<>();
        for (int i = 0; i <= lanes; i++) {
            queues.add(new ConcurrentLinkedQueue<>());
        }
        this.pending = List.copyOf(queues);
        this.directory = directory;
        this.file = directory.resolve(DataFileNames.SEALS_FILE);
        this.logger = logger;
        this.appended = recordsOnDisk;
    }

    /**
     * The records on disk, by {@link SealRecord#key()}; empty when there is no file or it is not
     * ours. A torn last record (a crash in an append) ends the list.
     */
    static Map<Long, SealRecord> load(Path directory) throws IOException {
        Map<Long, SealRecord> records = new HashMap<>();
        Path file = directory.resolve(DataFileNames.SEALS_FILE);
        if (!Files.exists(file)) {
            return records;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = FormatDescriptor.order(ByteBuffer.allocate(SealRecord.FILE_HEADER));
            channel.read(header, 0);
            if (!SealRecord.validFileHeader(header.flip())) {
                return records;
            }
            ByteBuffer buffer = FormatDescriptor.order(ByteBuffer.allocate(SealRecord.SIZE * 4096));
            long position = SealRecord.FILE_HEADER;
            while (true) {
                buffer.clear();
                int got = Math.max(0, channel.read(buffer, position));
                buffer.flip();
                int at = 0;
                for (; at + SealRecord.SIZE <= got; at += SealRecord.SIZE) {
                    var record = SealRecord.decode(buffer, at);
                    if (record.isEmpty()) {
                        return records;
                    }
                    records.put(record.get().key(), record.get());
                }
                if (got < buffer.capacity()) {
                    return records;
                }
                position += at;
            }
        }
    }

    /**
     * Called by the writer (under its lock) as it seals a block, and at open for blocks read there;
     * the block's file has its lane by then ({@link LogFile#assignLane}), and keeps it.
     */
    void sealed(Block block) {
        if (pendingCount.incrementAndGet() <= MAX_PENDING) {
            pending.get(block.file.lane() + 1).add(block);
        } else {
            pendingCount.decrementAndGet();
        }
    }

    /** Before a flush of every file: the blocks it will make durable. */
    List<Block> takePending() {
        List<Block> taken = new ArrayList<>();
        for (ConcurrentLinkedQueue<Block> queue : pending) {
            drain(queue, taken);
        }
        return taken;
    }

    /** Before a flush of {@code lane}'s files (and those of no lane): the blocks it will make durable. */
    List<Block> takePending(int lane) {
        List<Block> taken = new ArrayList<>();
        drain(pending.get(0), taken);
        drain(pending.get(lane + 1), taken);
        return taken;
    }

    private void drain(ConcurrentLinkedQueue<Block> queue, List<Block> into) {
        for (Block block; (block = queue.poll()) != null; ) {
            into.add(block);
            pendingCount.decrementAndGet();
        }
    }

    /** After every data file was forced: records {@code blocks} durably. */
    void record(Collection<Block> blocks) throws IOException {
        if (blocks.isEmpty()) {
            return;
        }
        synchronized (appendLock) {
            if (distrusted) {
                return;
            }
            ByteBuffer buffer = FormatDescriptor.order(ByteBuffer.allocate(blocks.size() * SealRecord.SIZE));
            int at = 0;
            for (Block block : blocks) {
                record(block).encode(buffer, at);
                at += SealRecord.SIZE;
            }
            FileChannel out = channel();
            long position = out.size();
            while (buffer.hasRemaining()) {
                position += out.write(buffer, position);
            }
            out.force(false);
            for (Block block : blocks) {
                block.recorded = true;
            }
            appended += blocks.size();
        }
    }

    /**
     * Rewrites the file with only {@code live} (tmp, fsync, rename, directory fsync), when records of
     * deleted blocks make up most of it.
     */
    void compact(Collection<Block> live) throws IOException {
        synchronized (appendLock) {
            if (distrusted || appended < 2L * live.size() + 1024) {
                return;
            }
            closeChannel();
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            ByteBuffer buffer = FormatDescriptor.order(ByteBuffer.allocate(SealRecord.FILE_HEADER + live.size() * SealRecord.SIZE));
            SealRecord.encodeFileHeader(buffer);
            int at = SealRecord.FILE_HEADER;
            for (Block block : live) {
                record(block).encode(buffer, at);
                at += SealRecord.SIZE;
            }
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(false);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Directories.sync(directory);
            appended = live.size();
        }
    }

    /**
     * A trusted block turned out damaged: no record is trusted again, so the next open reads every
     * block and cuts the damage off. Durable before the reader hears of the damage.
     */
    void distrust(Block damaged) {
        synchronized (appendLock) {
            if (distrusted) {
                return;
            }
            distrusted = true;
            try {
                closeChannel();
                Files.deleteIfExists(file);
                Directories.sync(directory);
                if (damaged != null) {
                    logger.log(Level.ERROR, "{0} is damaged; the next open of {1} reads every block to cut the damage off",
                            damaged, directory);
                }
            } catch (IOException e) {
                logger.log(Level.ERROR, "could not delete {0} after finding {1} damaged: {2}", file, damaged,
                        e.getMessage());
            }
        }
    }

    void close() throws IOException {
        synchronized (appendLock) {
            closeChannel();
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            boolean fresh = !Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer existing = FormatDescriptor.order(ByteBuffer.allocate(SealRecord.FILE_HEADER));
            channel.read(existing, 0);
            if (fresh || !SealRecord.validFileHeader(existing.flip())) {
                ByteBuffer header = FormatDescriptor.order(ByteBuffer.allocate(SealRecord.FILE_HEADER));
                SealRecord.encodeFileHeader(header);
                channel.truncate(0);
                channel.write(header, 0);
                channel.force(false);
                Directories.sync(directory);
            } else {
                // Drop a torn record at the end, so appends stay record-aligned.
                long whole = SealRecord.FILE_HEADER
                        + (channel.size() - SealRecord.FILE_HEADER) / SealRecord.SIZE * SealRecord.SIZE;
                channel.truncate(whole);
            }
        }
        return channel;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private static SealRecord record(Block block) {
        return new SealRecord(block.file.header.fileSequence(), block.indexInFile, block.committedEnd(), block.blockSeq,
                block.nonce, block.baseSequence, block.committedNextSequence(), block.commitOffset,
                block.remainingAtEnd, block.commitSequence);
    }
}
