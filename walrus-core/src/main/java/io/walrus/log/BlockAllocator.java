package io.walrus.log;

import io.walrus.format.DataFileNames;
import io.walrus.format.FileHeader;
import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFiles;
import io.walrus.sync.DirtyFiles;
import io.walrus.sync.LanedFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hands out blocks of data files, creating a new preallocated file when the current one is used
 * up, and keeps the set of open files for flushing and closing. Blocks are handed out in order
 * within a file and never handed out twice.
 *
 * <p>Blocks come from one of several <em>lanes</em>, each filling its own current file, and every
 * topic draws from one lane. Writes to one file serialise on its inode lock in the kernel, so
 * topics written by different threads at once should not share a file: with two writers, one
 * shared file costs about a third of the throughput of two.
 *
 * <p>A lane's next file is created ahead of need, by a background thread, so that an append that
 * fills a file finds the next one ready. Creating a file ({@link DataFileCreator}) preallocates it,
 * which under heavy writeback waits for the file system's journal: measured here, up to 260 ms with
 * 2 GB of dirty pages (and more than a second while creation also forced the header and synced the
 * directory, now left to the next flush), all of it one append's latency, and every other lane's
 * as the allocator's lock was held, when the file was created on the append path.
 * Creation starts once half of the current file's blocks are handed out, or earlier when at the
 * rate the file is filling the rest would take less than twice the slowest creation seen so far:
 * at most one spare file per lane, and only as early as it must be. An append that finds the next
 * file still in creation waits for it rather than starting another; one that finds its creation
 * failed creates it itself, so the error it reports is current. The allocator's lock is never held
 * while a file is created.
 */
final class BlockAllocator implements LanedFiles {
    private static final int PAGE = 4096;

    private final Path directory;
    private final BatchIo batchIo;
    private final int blockSize;
    private final int blocksPerFile;
    private final List<LogFile> files = new CopyOnWriteArrayList<>();
    private final LogFile[] current;
    /** Per lane: its next file, in creation or created and not yet current; null when none is. */
    private final NextFile[] next;
    /** Per lane: when its current file became current ({@link System#nanoTime()}), to see how fast it fills. */
    private final long[] currentSince;
    /** The longest any file creation has taken, in nanoseconds: how early to start the next. */
    private volatile long slowestCreationNanos;
    private final DataFileCreator creator;
    /** Creates lanes' next files; started at the first need. */
    private ExecutorService background;
    private boolean closed;
    private long nextFileSequence;
    /** Counts and times every fsync of a data file, for stats() and JFR. */
    final FlushRecorder flushes;
    private final SealLog seals;
    private final System.Logger logger;

    /** A block's place: the file, its index there, its absolute offset and its size. */
    record Slot(LogFile file, int index, long offset, int capacity) {
    }

    /** A file in creation for a lane; {@code ahead} when the background thread creates it. */
    private record NextFile(long sequence, CompletableFuture<LogFile> made, boolean ahead) {
    }

    BlockAllocator(Path directory, DataFiles dataFiles, BatchIo batchIo, int blockSize, int blocksPerFile, int lanes,
                   List<LogFile> recovered, SealLog seals, System.Logger logger) {
        this.seals = seals;
        this.logger = logger;
        this.directory = directory;
        this.batchIo = batchIo;
        this.blockSize = blockSize;
        this.blocksPerFile = blocksPerFile;
        this.current = new LogFile[lanes];
        this.next = new NextFile[lanes];
        this.currentSince = new long[lanes];
        java.util.Arrays.fill(currentSince, System.nanoTime());
        this.creator = new DataFileCreator(directory, dataFiles);
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
                file.assignLane(lane);
                current[lane++] = file;
            }
        }
    }

    @Override
    public int lanes() {
        return current.length;
    }

    /** A block able to hold {@code bytes} (block header and entries); a file of its own if no regular block can. */
    Slot allocate(long bytes, int lane) throws IOException {
        if (bytes > blockSize) {
            return allocateOversized(bytes, lane);
        }
        while (true) {
            NextFile coming;
            boolean createHere = false;
            long sequence = -1;
            synchronized (this) {
                LogFile file = current[lane];
                if (file != null && file.allocatedBlocks < file.header.blockCount()) {
                    int index = file.allocatedBlocks++;
                    if (next[lane] == null && nextIsDue(file, lane)) {
                        createAhead(lane);
                    }
                    return new Slot(file, index, file.blockOffset(index), blockSize);
                }
                coming = next[lane];
                if (coming == null || (coming.ahead() && coming.made().isCompletedExceptionally())) {
                    sequence = nextFileSequence++;
                    coming = next[lane] = new NextFile(sequence, new CompletableFuture<>(), false);
                    createHere = true;
                }
            }
            if (createHere) {
                create(sequence, coming.made());
            }
            takeNext(lane, coming);
        }
    }

    /**
     * Whether to start creating the lane's next file: half of {@code file} is handed out, or the rest
     * of it will be, at the rate so far, in less than twice the slowest creation seen. Once per
     * block (megabytes of entries), so the clock read costs nothing that shows.
     */
    private boolean nextIsDue(LogFile file, int lane) {
        int handedOut = file.allocatedBlocks;
        int left = file.header.blockCount() - handedOut;
        if (2 * handedOut >= file.header.blockCount()) {
            return true;
        }
        long elapsed = System.nanoTime() - currentSince[lane];
        return elapsed / handedOut * left < 2 * slowestCreationNanos;
    }

    /** Under the lock: starts creating the lane's next file in the background. */
    private void createAhead(int lane) {
        if (closed) {
            return;
        }
        long sequence = nextFileSequence++;
        NextFile coming = next[lane] = new NextFile(sequence, new CompletableFuture<>(), true);
        if (background == null) {
            // A thread per lane at most: one lane's slow creation must not hold up another's.
            background = Executors.newFixedThreadPool(next.length, task -> {
                Thread thread = new Thread(task, "walrus-next-file " + directory.getFileName());
                thread.setDaemon(true);
                return thread;
            });
        }
        background.execute(() -> create(sequence, coming.made()));
    }

    private void create(long sequence, CompletableFuture<LogFile> made) {
        long started = System.nanoTime();
        try {
            made.complete(creator.create(FileHeader.create(blockSize, blocksPerFile, sequence)));
        } catch (IOException | RuntimeException | Error e) {
            made.completeExceptionally(e);
        } finally {
            long took = System.nanoTime() - started;
            if (took > slowestCreationNanos) {
                slowestCreationNanos = took; // a race may keep the smaller of two: as good a hint
            }
        }
    }

    /**
     * Waits, without the lock, for the lane's next file, then makes it current. A failed creation
     * started on the append path is this append's error; one started ahead is left for the caller
     * to retry here.
     */
    private void takeNext(int lane, NextFile coming) throws IOException {
        LogFile made;
        try {
            made = coming.made().join();
        } catch (CompletionException e) {
            if (coming.ahead()) {
                return; // allocate() sees the failure and creates the file itself
            }
            synchronized (this) {
                if (next[lane] == coming) {
                    next[lane] = null;
                }
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        synchronized (this) {
            if (next[lane] == coming) {
                next[lane] = null;
                made.assignLane(lane);
                files.add(made);
                current[lane] = made;
                currentSince[lane] = System.nanoTime();
            }
        }
    }

    /** An entry bigger than a block gets a one-block file sized to fit it, created on the append path. */
    private Slot allocateOversized(long bytes, int lane) throws IOException {
        long size = (bytes + PAGE - 1) / PAGE * PAGE;
        if (size > Integer.MAX_VALUE - PAGE) {
            throw new IOException("entry of " + bytes + " bytes cannot be stored in one block");
        }
        long sequence;
        synchronized (this) {
            sequence = nextFileSequence++;
        }
        LogFile file = creator.create(FileHeader.create((int) size, 1, sequence));
        file.assignLane(lane);
        synchronized (this) {
            file.allocatedBlocks = 1;
            files.add(file);
        }
        return new Slot(file, 0, file.blockOffset(0), (int) size);
    }

    /**
     * Forces every dirty file; then records the blocks sealed before the flush began, whose data it
     * has just made durable. Recording is an optimisation of open: if it fails, the log is unharmed
     * (the blocks are read at the next open), so it stops recording and says so instead of failing.
     */
    @Override
    public void flush() throws IOException {
        List<Block> sealed = seals.takePending();
        creator.syncDirectoryIfCreated();
        flushes.flushAll(files, batchIo);
        recordSeals(sealed);
    }

    /**
     * What a flush of one lane forces: the files of that lane (and of no lane), not the others', so
     * the flushes of different lanes run side by side. The kernel overlaps fdatasyncs of different
     * files (their journal commits share), where two of the same file only queue behind each other.
     * Only the seals of this lane's blocks are recorded after it: another lane's are not durable yet.
     */
    @Override
    public DirtyFiles lane(int lane) {
        if (lane < 0 || lane >= current.length) {
            throw new IllegalArgumentException("no lane " + lane + "; this log has " + current.length);
        }
        return () -> {
            List<Block> sealed = seals.takePending(lane);
            creator.syncDirectoryIfCreated();
            List<LogFile> own = new ArrayList<>();
            for (LogFile file : files) {
                if (file.flushedWith(lane)) {
                    own.add(file);
                }
            }
            flushes.flushAll(own, batchIo);
            recordSeals(sealed);
        };
    }

    private void recordSeals(List<Block> sealed) {
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

    /** The names of the lanes' next files, created or in creation, which no block is in yet (for tests). */
    synchronized List<String> nextFileNames() {
        List<String> names = new ArrayList<>();
        for (NextFile coming : next) {
            if (coming != null) {
                names.add(DataFileNames.dataFile(coming.sequence()));
            }
        }
        return names;
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

    /**
     * Closes every file, each at once or, while a read still holds it, when that read lets go. A
     * lane's next file, created and never used, is deleted; one still in creation is waited for first.
     */
    void closeAll() throws IOException {
        IOException first = null;
        try {
            deleteUnusedNextFiles();
        } catch (IOException e) {
            first = e;
        }
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

    private void deleteUnusedNextFiles() throws IOException {
        List<NextFile> unused = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (int lane = 0; lane < next.length; lane++) {
                if (next[lane] != null) {
                    unused.add(next[lane]);
                    next[lane] = null;
                }
            }
            if (background != null) {
                background.shutdown();
            }
        }
        IOException first = null;
        for (NextFile coming : unused) {
            LogFile file;
            try {
                file = coming.made().join();
            } catch (CompletionException failed) {
                continue; // nothing was left behind
            }
            try {
                file.io.close();
                Files.deleteIfExists(file.io.path());
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
