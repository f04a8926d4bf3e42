package io.walrus.log;

import io.walrus.EntryVisitor;
import io.walrus.TopicStats;
import io.walrus.WalrusStats;
import io.walrus.cursor.CursorStore;
import io.walrus.format.DataFileNames;
import io.walrus.jfr.BatchWriteEvent;
import io.walrus.jfr.RecoveryEvent;
import io.walrus.storage.BatchIo;
import io.walrus.storage.BufferPool;
import io.walrus.storage.DirectoryLock;
import io.walrus.storage.Directories;
import io.walrus.storage.uring.IoUringSupport;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine behind {@code io.walrus.Walrus}: the topics of one instance directory, their shared
 * block allocator and flush policy, and the open/close life cycle. Arguments arrive validated.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final int STAGING_BUFFER = 256 << 10;

    private final LogConfig config;
    private final DirectoryLock lock;
    private final LogResources resources;
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final System.Logger logger;
    private final Object closeLock = new Object();
    /** Topics take allocator lanes in turn, so the first few topics each fill a file of their own. */
    private final java.util.concurrent.atomic.AtomicInteger nextLane = new java.util.concurrent.atomic.AtomicInteger();
    private final TopicReads reads;
    private final SequenceReads sequenceReads;
    private final ConsumerRegistry consumers;
    private final FileReclaimer reclaimer;

    private WriteAheadLog(LogConfig config, DirectoryLock lock, LogResources resources,
                          List<Recovery.RecoveredTopic> recovered) throws IOException {
        this.config = config;
        this.lock = lock;
        this.resources = resources;
        this.logger = resources.logger;
        for (Recovery.RecoveredTopic topic : recovered) {
            topics.put(topic.name(), new Topic(topic.name(), laneForRecoveredTopic(topic.writer()), topic.topicChain(),
                    topic.writer(), topic.reader(), topic.cursorFound(), resources));
        }
        this.reads = new TopicReads(topics, resources);
        this.sequenceReads = new SequenceReads(resources);
        this.consumers = ConsumerRegistry.open(config.directory(), recovered, resources, reads);
        this.reclaimer = new FileReclaimer(config.directory(), topics.values(), consumers, resources,
                config.reclaimIntervalMillis());
    }

    public static WriteAheadLog open(LogConfig config) throws IOException {
        System.Logger logger = Loggers.get(WriteAheadLog.class);
        CursorSaveAhead saveAhead = CursorSaveAhead.fromSystemProperty(); // a bad value is refused before anything is touched
        Path directory = config.directory();
        Files.createDirectories(directory);
        DirectoryLock lock = DirectoryLock.acquire(directory.resolve(DataFileNames.LOCK_FILE));
        BatchIo batchIo = IoUringSupport.batchIoFor(config.files());
        CursorStore cursors = null;
        try {
            reportIoUringOnce(config, logger);
            // The marker must be gone from disk before anything is written, or a crash from here on would look clean.
            boolean clean = Files.deleteIfExists(directory.resolve(DataFileNames.CLEAN_SHUTDOWN_FILE));
            if (clean) {
                Directories.sync(directory);
            }
            int interrupted = DataFileCreator.deleteLeftovers(directory);
            if (interrupted > 0) {
                logger.log(Level.INFO, "deleted {0} data file(s) in {1} whose creation a crash interrupted (they held "
                        + "no entries)", interrupted, directory);
            }
            cursors = new CursorStore(directory, logger);
            long started = System.nanoTime();
            RecoveryEvent event = new RecoveryEvent();
            event.begin();
            Recovery.Result recovered = new Recovery(directory, config.files(), clean, cursors, logger).run();
            JfrEvents.commit(event, directory, clean, recovered);
            if (!recovered.files().isEmpty()) {
                logger.log(clean ? Level.DEBUG : Level.INFO, "opened {0}: {1} files, {2} topics, {3} entries in {4} ms ({5} shutdown)",
                        directory, recovered.files().size(), recovered.topics().size(), recovered.entries(),
                        (System.nanoTime() - started) / 1_000_000, clean ? "clean" : "unclean");
            }
            SealLog seals = new SealLog(directory, logger, recovered.sealRecords(), config.fileLanes());
            // First, so the files lanes take up again have their lane when their blocks are queued.
            BlockAllocator allocator = new BlockAllocator(directory, config.files(), batchIo, config.blockSize(),
                    config.blocksPerFile(), config.fileLanes(), recovered.files(), seals, logger);
            for (Block block : recovered.toRecord()) {
                block.file.markDirty(); // read from the page cache, maybe: the first flush forces it before recording
                seals.sealed(block);
            }
            Health health = new Health();
            BufferPool buffers = new BufferPool(2 * Runtime.getRuntime().availableProcessors() + 2, STAGING_BUFFER);
            LogResources resources = new LogResources(allocator, buffers, batchIo, health, cursors, config.persistEvery(),
                    saveAhead, logger, seals);
            resources.flushPolicy(FlushPolicy.create(config.flush(), allocator, failure -> {
                health.fail(failure);
                logger.log(Level.ERROR, "background flush failed; {0} takes no more writes: {1}", directory,
                        failure.getMessage());
            }, directory.getFileName().toString()));
            try {
                return new WriteAheadLog(config, lock, resources, recovered.topics());
            } catch (IOException | RuntimeException e) {
                // Loading the named consumers failed: stop the flusher and release the files before the lock.
                resources.markClosed();
                try {
                    resources.flushPolicy().close();
                    allocator.closeAll();
                    seals.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            if (cursors != null) {
                cursors.close();
            }
            batchIo.close();
            lock.close();
            throw e;
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean IO_URING_REPORTED = new java.util.concurrent.atomic.AtomicBoolean();

    /** The one log line of a process whose FD-backend instances fall back from io_uring to FileChannel. */
    private static void reportIoUringOnce(LogConfig config, System.Logger logger) {
        if (config.mmap() || IO_URING_REPORTED.getAndSet(true)) {
            return;
        }
        IoUringSupport.unavailableReason().ifPresent(reason -> logger.log(Level.INFO,
                "io_uring is not used, batches and flushes go through FileChannel: {0}", reason));
    }

    /** @throws IllegalStateException once closed */
    public void checkOpen() {
        resources.checkOpen();
    }

    public Path directory() {
        return config.directory();
    }

    public void append(String topic, byte[] data) throws IOException {
        topicForWrite(topic).writer.append(data);
    }

    public void batchAppend(String topic, byte[][] entries) throws IOException {
        BatchWriteEvent event = new BatchWriteEvent();
        event.begin();
        boolean failed = true;
        try {
            topicForWrite(topic).writer.batchAppend(entries);
            failed = false;
        } finally {
            JfrEvents.commit(event, topic, entries, failed);
        }
    }

    /** The next entry's payload, or null when there is none. */
    public byte[] readNext(String topic, boolean checkpoint) throws IOException {
        resources.checkOpen();
        Topic existing = topics.get(topic);
        return existing == null ? null : existing.reader.readNext(checkpoint);
    }

    public List<byte[]> batchRead(String topic, long maxBytes, int maxEntries, boolean checkpoint) throws IOException {
        resources.checkOpen();
        Topic existing = topics.get(topic);
        return existing == null ? List.of() : existing.reader.batchRead(maxBytes, maxEntries, checkpoint);
    }

    /**
     * Entries of {@code topic} from the one numbered {@code fromSequence} (from the earliest retained
     * one when deletion took it), moving no cursor; empty for an unknown topic or when none is
     * committed there yet. See {@link SequenceReads}.
     */
    public List<byte[]> readFrom(String topic, long fromSequence, long maxBytes, int maxEntries) throws IOException {
        resources.checkOpen();
        Topic existing = topics.get(topic);
        return existing == null ? List.of() : sequenceReads.read(existing, fromSequence, maxBytes, maxEntries);
    }

    /**
     * Makes every append that has returned durable now, whatever the schedule: the flush policy
     * flushes as it does on its own (under group commit, by joining its rounds), so a failure is
     * handled as theirs are, and stops the instance taking writes. Refused once a write or flush has
     * failed: nothing since is known to be on disk, and a second fsync could report success for
     * pages the failed one dropped.
     */
    public void flush() throws IOException {
        resources.checkOpen();
        resources.health.checkWritable();
        try {
            resources.flushPolicy().flushNow();
        } catch (IOException e) {
            resources.health.fail(e);
            throw e;
        }
    }

    /** A snapshot of every topic and of the files and fsyncs; see {@code Walrus.stats()}. */
    public WalrusStats stats() {
        resources.checkOpen();
        List<TopicStats> snapshot = new ArrayList<>(topics.size());
        for (Topic topic : topics.values()) {
            snapshot.add(topicStats(topic));
        }
        snapshot.sort(Comparator.comparing(TopicStats::topic));
        FlushRecorder flushes = resources.allocator.flushes;
        return new WalrusStats(config.directory(), resources.allocator.files().size(),
                resources.allocator.allocatedBlocks(), flushes.fsyncs(), Duration.ofNanos(flushes.fsyncNanos()),
                Duration.ofNanos(flushes.maxFsyncNanos()), snapshot);
    }

    private static TopicStats topicStats(Topic topic) {
        Block[] chain = topic.chain();
        long bytes = 0;
        for (Block block : chain) {
            bytes += block.committedEnd() - block.headerLength;
        }
        long first = topic.snapshot().floorSequence();
        long next = chain.length == 0 ? first : chain[chain.length - 1].committedNextSequence();
        long cursor = Math.min(topic.reader.position(), next);
        return new TopicStats(topic.name, next - first, bytes, chain.length, next, cursor, next - cursor);
    }

    /**
     * The next entry at the default consumer's cursor, waiting up to {@code timeoutNanos} for one to be
     * committed; null if none came. Throws IllegalStateException if the instance closes meanwhile.
     */
    public byte[] readNext(String topic, boolean checkpoint, long timeoutNanos) throws IOException {
        return reads.readNext(ReadCursors.DEFAULT, topic, checkpoint, timeoutNanos);
    }

    public List<byte[]> batchRead(String topic, long maxBytes, int maxEntries, boolean checkpoint, long timeoutNanos)
            throws IOException {
        return reads.batchRead(ReadCursors.DEFAULT, topic, maxBytes, maxEntries, checkpoint, timeoutNanos);
    }

    /**
     * As {@link #batchRead(String, long, int, boolean, long)}, handing the entries to {@code visitor}
     * in place (0 for no wait); returns how many it visited.
     */
    public int visitBatch(String topic, long maxBytes, int maxEntries, boolean checkpoint, long timeoutNanos,
                          EntryVisitor visitor) throws IOException {
        return reads.visitBatch(ReadCursors.DEFAULT, topic, maxBytes, maxEntries, checkpoint, timeoutNanos, visitor);
    }

    /** The named consumer, created durably (at the tail of every existing topic if asked) when new. */
    public NamedConsumer consumer(String name, boolean startAtTail) throws IOException {
        resources.checkOpen();
        return consumers.consumer(name, startAtTail, topics.values());
    }

    /** Names of the named consumers, sorted. */
    public List<String> consumers() {
        resources.checkOpen();
        return consumers.names();
    }

    public boolean removeConsumer(String name) throws IOException {
        resources.checkOpen();
        return consumers.remove(name);
    }

    /**
     * Per topic, the lowest sequence any consumer, the default one and every named one, would resume
     * from after a crash. Every entry below it has been checkpointed durably by all of them; a
     * consumer that never read a topic counts at its first entry. (Deletion uses a narrower rule for
     * the default consumer, see {@link FileReclaimer}.)
     */
    public Map<String, Long> lowestCheckpointedSequences() {
        resources.checkOpen();
        Map<String, Long> lowest = new HashMap<>();
        for (Topic topic : topics.values()) {
            lowest.put(topic.name, consumers.lowestCheckpointedSequence(topic, topic.reader.savedSequence()));
        }
        return lowest;
    }

    /**
     * Deletes the data files every consumer that counts has consumed, now, as the background pass
     * does (see {@link FileReclaimer}); returns how many. For tests and tools: the background
     * thread does this on its own.
     */
    public int reclaimConsumedFiles() throws IOException {
        resources.checkOpen();
        return reclaimer.reclaim();
    }

    /** As {@link #reclaimConsumedFiles()}, with the caller's per-topic floors in place of the consumers'. */
    public int reclaimFilesBelow(Map<String, Long> floors) throws IOException {
        resources.checkOpen();
        return reclaimer.reclaimBelow(floors);
    }

    /** Reads by sequence that walked entry headers to find their start (see {@link SequenceReads}); for tests. */
    long sequenceReadWalks() {
        return sequenceReads.walks();
    }

    /** Data files created ahead for the lanes and not used yet (see {@link BlockAllocator}); for tests. */
    List<String> nextFileNames() {
        return resources.allocator.nextFileNames();
    }

    /** The topic of that name, or null; for tests and tooling inside the engine. */
    Topic topic(String name) {
        return topics.get(name);
    }

    private Topic topicForWrite(String name) {
        resources.checkOpen();
        Topic topic = topics.get(name);
        if (topic != null) {
            return topic;
        }
        Topic created = topics.computeIfAbsent(name, this::newTopic);
        reads.topicCreated(); // reads waiting for this topic to exist look again
        return created;
    }

    private Topic newTopic(String name) {
        return new Topic(name, laneForNewTopic(), TopicChain.EMPTY, new TopicWriter.State(null, 0, 0, 0),
                new TopicReader.Position(0, 0, 0), false, resources);
    }

    /**
     * A topic found at open goes on writing into its active block first, so it takes the lane of that
     * block's file when a lane took the file up again: under sync-each an append is forced by its
     * topic's lane, which forces that lane's files and those of no lane, not another lane's.
     */
    private int laneForRecoveredTopic(TopicWriter.State writer) {
        Block active = writer.active();
        if (active != null && active.file.lane() != LogFile.NO_LANE) {
            return active.file.lane();
        }
        return laneForNewTopic();
    }

    private int laneForNewTopic() {
        return Math.floorMod(nextLane.getAndIncrement(), config.fileLanes());
    }

    /**
     * Waits for appends and reads in flight, persists moved cursors, flushes every file, and leaves
     * the clean-shutdown marker (only if nothing failed: after a failure the next open must treat the
     * directory as crashed).
     */
    @Override
    public void close() throws IOException {
        synchronized (closeLock) {
            if (resources.closed()) {
                return;
            }
            reclaimer.close(); // before anything is closed: a pass in progress finishes first
            resources.markClosed();
            reads.wakeAll(); // waiting reads find the instance closed
            IOException failure = null;
            for (Topic topic : topics.values()) {
                topic.writer.awaitIdle();
                try {
                    topic.reader.saveIfMoved();
                } catch (IOException e) {
                    failure = first(failure, e);
                }
            }
            try {
                consumers.saveAllIfMoved();
            } catch (IOException e) {
                failure = first(failure, e);
            }
            consumers.closeCursors();
            resources.cursors.close();
            try {
                resources.flushPolicy().close();
            } catch (IOException e) {
                resources.health.fail(e);
                failure = first(failure, e);
            }
            try {
                resources.allocator.closeAll();
                resources.seals.close();
            } catch (IOException e) {
                failure = first(failure, e);
            }
            resources.batchIo.close();
            if (failure == null && !resources.health.failed()) {
                try {
                    Files.createFile(config.directory().resolve(DataFileNames.CLEAN_SHUTDOWN_FILE));
                    Directories.sync(config.directory());
                } catch (IOException e) {
                    failure = e;
                }
            }
            try {
                lock.close();
            } catch (IOException e) {
                failure = first(failure, e);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static IOException first(IOException current, IOException next) {
        if (current == null) {
            return next;
        }
        current.addSuppressed(next);
        return current;
    }
}
