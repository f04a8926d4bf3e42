package io.walrus.log;

import io.walrus.format.DataFileNames;
import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;
import io.walrus.storage.Directories;
import io.walrus.sync.DirtyFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands out blocks of data files, creating a new preallocated file when the current one is used
 * up, and keeps the set of open files for flushing and closing. Blocks are handed out in order
 * within a file and never handed out twice.
 *
 * <p>Blocks come from one of several <em>lanes</em>, each filling its own current file, and every
 * topic draws from one lane. Writes to one file serialise on its inode lock in the kernel, so
 * topics written by different threads at once should not share a file: with two writers, one
 * shared file costs about a third of the throughput of two.
 */
final class BlockAllocator implements DirtyFiles {
    private static final int PAGE = 4096;

    private final Path directory;
    private final DataFiles dataFiles;
    private final BatchIo batchIo;
    private final int blockSize;
    private final int blocksPerFile;
    private final List<LogFile> files = new CopyOnWriteArrayList<>();
    private final LogFile[] current;
    private long nextFileSequence;
    /** Counts and times every fsync of a data file, for stats() and JFR. */
    final FlushRecorder flushes;
    private final SealLog seals;
    private final System.Logger logger;

    /** A block's place: the file, its index there, its absolute offset and its size. */
    record Slot(LogFile file, int index, long offset, int capacity) {
    }

    BlockAllocator(Path directory, DataFiles dataFiles, BatchIo batchIo, int blockSize, int blocksPerFile, int lanes,
                   List<LogFile> recovered, SealLog seals, System.Logger logger) {
        this.seals = seals;
        this.logger = logger;
        this.directory = directory;
        this.dataFiles = dataFiles;
        this.batchIo = batchIo;
        this.blockSize = blockSize;
        this.blocksPerFile = blocksPerFile;
        this.current = new LogFile[lanes];
        this.flushes = new FlushRecorder(directory.toString());
        this.files.addAll(recovered);
        for (LogFile file : recovered) {
            nextFileSequence = Math.max(nextFileSequence, file.header.fileSequence() + 1);
        }
        // Keep filling the newest regular files that have room, one per lane.
        int lane = 0;
        for (int i = recovered.size() - 1; i >= 0 && lane < lanes; i--) {
            LogFile file = recovered.get(i);
            if (file.header.blockSize() == blockSize && file.allocatedBlocks < file.header.blockCount()) {
                current[lane++] = file;
            }
        }
    }

    int lanes() {
        return current.length;
    }

    /** A block able to hold {@code bytes} (block header and entries); a file of its own if no regular block can. */
    synchronized Slot allocate(long bytes, int lane) throws IOException {
        if (bytes > blockSize) {
            return allocateOversized(bytes);
        }
        LogFile file = current[lane];
        if (file == null || file.allocatedBlocks == file.header.blockCount()) {
            file = current[lane] = createFile(blockSize, blocksPerFile);
        }
        int index = file.allocatedBlocks++;
        return new Slot(file, index, file.blockOffset(index), blockSize);
    }

    /** An entry bigger than a block gets a one-block file sized to fit it. */
    private Slot allocateOversized(long bytes) throws IOException {
        long size = (bytes + PAGE - 1) / PAGE * PAGE;
        if (size > Integer.MAX_VALUE - PAGE) {
            throw new IOException("entry of " + bytes + " bytes cannot be stored in one block");
        }
        LogFile file = createFile((int) size, 1);
        file.allocatedBlocks = 1;
        return new Slot(file, 0, file.blockOffset(0), (int) size);
    }

    private LogFile createFile(int fileBlockSize, int blockCount) throws IOException {
        long sequence = nextFileSequence++;
        FileHeader header = FileHeader.create(fileBlockSize, blockCount, sequence);
        Path path = directory.resolve(DataFileNames.dataFile(sequence));
        DataFile io = dataFiles.create(path, header.fileLength());
        try {
            ByteBuffer bytes = ByteBuffer.allocate(FormatDescriptor.FILE_HEADER_SIZE);
            header.encode(bytes);
            io.write(bytes, 0);
            io.force();
            // The name must be durable before any entry in the file is acknowledged.
            Directories.sync(directory);
        } catch (IOException e) {
            io.close();
            throw new IOException("could not create data file " + path + ": " + e.getMessage(), e);
        }
        LogFile file = new LogFile(io, header, 0);
        files.add(file);
        return file;
    }

    /**
     * Forces every dirty file; then records the blocks sealed before the flush began, whose data it
     * has just made durable. Recording is an optimisation of open: if it fails, the log is unharmed
     * (the blocks are read at the next open), so it stops recording and says so instead of failing.
     */
    @Override
    public void flush() throws IOException {
        List<Block> sealed = seals.takePending();
        flushes.flushAll(files, batchIo);
        try {
            seals.record(sealed);
        } catch (IOException e) {
            logger.log(System.Logger.Level.WARNING, "could not record sealed blocks in {0} ({1}); the next open "
                    + "reads them instead", directory, e.getMessage());
            seals.distrust(null);
        }
    }

    /**
     * Files the reclaimer may delete: no block will be handed out from them again (they are full, or
     * no lane fills them), and every block handed out from them has been released. Taken under the
     * allocator's lock, so a block being handed out right now is counted as handed out.
     */
    synchronized List<LogFile> reclaimable() {
        List<LogFile> reclaimable = new ArrayList<>();
        for (LogFile file : files) {
            boolean closedForAllocation = file.allocatedBlocks == file.header.blockCount() || !isCurrent(file);
            if (closedForAllocation && file.releasedBlocks() == file.allocatedBlocks) {
                reclaimable.add(file);
            }
        }
        return reclaimable;
    }

    private boolean isCurrent(LogFile file) {
        for (LogFile lane : current) {
            if (lane == file) {
                return true;
            }
        }
        return false;
    }

    /** Forgets a file the reclaimer is deleting: no flush or close of the instance looks at it again. */
    void forget(LogFile file) {
        files.remove(file);
    }

    /** Blocks handed out in every file, for stats(). */
    synchronized long allocatedBlocks() {
        long blocks = 0;
        for (LogFile file : files) {
            blocks += file.allocatedBlocks;
        }
        return blocks;
    }

    List<LogFile> files() {
        return new ArrayList<>(files);
    }

    /** Closes every file, each at once or, while a read still holds it, when that read lets go. */
    void closeAll() throws IOException {
        IOException first = null;
        for (LogFile file : files) {
            try {
                file.retire();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        files.clear();
        if (first != null) {
            throw first;
        }
    }
}
