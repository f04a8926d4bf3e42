package io.walrus;

import io.walrus.format.DataFileNames;
import io.walrus.format.FormatDescriptor;
import io.walrus.log.LogConfig;
import io.walrus.log.WriteAheadLog;
import io.walrus.storage.DataFiles;
import io.walrus.storage.uring.IoUringSupport;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A write-ahead log of topics. Each topic is its own stream: appends go to its end in commit order,
 * reads follow a persisted cursor. Topics are created on first write. Thread-safe: any number of
 * threads may append to and read from any topics at once.
 *
 * <pre>{@code
 * try (Walrus wal = Walrus.open()) {
 *     wal.appendForTopic("my-topic", "Hello, Walrus!".getBytes(UTF_8));
 *     wal.readNext("my-topic", true).ifPresent(e -> System.out.println(new String(e.data(), UTF_8)));
 * }
 * }</pre>
 *
 * <p>Each topic has a default consumer, whose cursor {@link #readNext(String, boolean)} and
 * {@link #batchReadForTopic(String, long, boolean)} follow; {@link #consumer(String)} gives named
 * consumers, each with cursors of its own. Reads that take a {@link java.time.Duration} wait for an
 * entry to be committed instead of returning empty at once.
 *
 * <p>Limits: an entry holds at most {@link #MAX_ENTRY_BYTES} bytes; a batch holds 1 to
 * {@link #MAX_BATCH_ENTRIES} entries; a topic name is 1 to {@link #MAX_TOPIC_NAME_BYTES} UTF-8 bytes.
 */
public final class Walrus implements WalrusLog {
    /** The largest payload of one entry: 64 MiB. Larger payloads are refused with IllegalArgumentException. */
    public static final int MAX_ENTRY_BYTES = 64 << 20;
    /** The most entries one batch append or batch read handles. */
    public static final int MAX_BATCH_ENTRIES = 2000;
    /** The longest topic name, in UTF-8 bytes. */
    public static final int MAX_TOPIC_NAME_BYTES = FormatDescriptor.MAX_TOPIC_NAME_BYTES;
    /** The longest consumer name, in UTF-8 bytes. */
    public static final int MAX_CONSUMER_NAME_BYTES = io.walrus.format.ConsumerDescriptor.MAX_NAME_BYTES;
    /** Default block size: 10 MiB, as the original. */
    public static final int DEFAULT_BLOCK_SIZE = 10 << 20;
    /** Default blocks per data file: 100, as the original (a file of about 1 GB). */
    public static final int DEFAULT_BLOCKS_PER_FILE = 100;

    private static volatile StorageBackend defaultBackend = StorageBackend.FD;

    private final WriteAheadLog log;

    private Walrus(WriteAheadLog log) {
        this.log = log;
    }

    // ------------------------------------------------------------------ opening

    /** Strictly-at-once reads, a flush every 200 ms; data under {@code $WALRUS_DATA_DIR} or {@code ./wal_files}. */
    public static Walrus open() throws IOException {
        return builder().open();
    }

    public static Walrus open(ReadConsistency mode) throws IOException {
        return builder().consistency(mode).open();
    }

    public static Walrus open(ReadConsistency mode, FsyncSchedule schedule) throws IOException {
        return builder().consistency(mode).fsync(schedule).open();
    }

    /** As {@link #open()}, with files under {@code <dataDir>/<sanitised key>/}. */
    public static Walrus openForKey(String key) throws IOException {
        return builder().key(key).open();
    }

    public static Walrus openForKey(String key, ReadConsistency mode) throws IOException {
        return builder().key(key).consistency(mode).open();
    }

    public static Walrus openForKey(String key, ReadConsistency mode, FsyncSchedule schedule) throws IOException {
        return builder().key(key).consistency(mode).fsync(schedule).open();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Instances opened from now on use the FD backend by default (the initial default). */
    public static void enableFdBackend() {
        defaultBackend = StorageBackend.FD;
    }

    /** Instances opened from now on use the mmap backend by default. */
    public static void disableFdBackend() {
        defaultBackend = StorageBackend.MMAP;
    }

    /** Options for {@link #open()}; every one has a default. */
    public static final class Builder {
        private Path dataDir;
        private String key;
        private boolean keySet;
        private ReadConsistency consistency = ReadConsistency.strictlyAtOnce();
        private FsyncSchedule fsync = FsyncSchedule.milliseconds(200);
        private StorageBackend backend;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private int blocksPerFile = DEFAULT_BLOCKS_PER_FILE;
        private int fileLanes;
        private long reclaimIntervalMillis = LogConfig.DEFAULT_RECLAIM_INTERVAL_MILLIS;

        private Builder() {
        }

        /** Root of the data; default {@code $WALRUS_DATA_DIR}, else {@code ./wal_files}. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dataDir");
            return this;
        }

        /** Namespace under the data dir; default {@code $WALRUS_INSTANCE_KEY}, else none. */
        public Builder key(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("key must not be empty");
            }
            this.key = key;
            this.keySet = true;
            return this;
        }

        public Builder consistency(ReadConsistency consistency) {
            this.consistency = Objects.requireNonNull(consistency, "consistency");
            return this;
        }

        public Builder fsync(FsyncSchedule schedule) {
            this.fsync = Objects.requireNonNull(schedule, "fsync");
            return this;
        }

        public Builder backend(StorageBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Size of the blocks new data files are split into (default 10 MiB). Every topic owns at
         * least one block, so many topics want smaller blocks. 64 KiB to 1 GiB, a multiple of 4096.
         * Entries larger than a block still work: they get a block of their own size.
         */
        public Builder blockSize(int bytes) {
            if (bytes < (64 << 10) || bytes > (1 << 30) || bytes % 4096 != 0) {
                throw new IllegalArgumentException(
                        "blockSize must be a multiple of 4096 between 64 KiB and 1 GiB, blockSize=" + bytes);
            }
            this.blockSize = bytes;
            return this;
        }

        /** Blocks per new data file (default 100), 1 to 100,000. */
        public Builder blocksPerFile(int count) {
            if (count < 1 || count > 100_000) {
                throw new IllegalArgumentException("blocksPerFile must be between 1 and 100000, blocksPerFile=" + count);
            }
            this.blocksPerFile = count;
            return this;
        }

        /**
         * How many data files are filled at once. Topics are spread over them, so threads writing
         * different topics do not serialise on one file's lock in the kernel. Each lane
         * preallocates its own file, so more lanes take more disk up front (a file is
         * {@code blockSize × blocksPerFile}, taken when the lane's first topic writes); 1 to 64.
         * Default: the number of processors (at most 8), and under {@code syncEach()} 8 whatever
         * the processors: each lane then has a group commit of its own, flushing only its files, and
         * the kernel overlaps fdatasyncs of different files where two of one file queue. Writers
         * of one lane still share each flush.
         */
        public Builder fileLanes(int lanes) {
            if (lanes < 1 || lanes > 64) {
                throw new IllegalArgumentException("fileLanes must be between 1 and 64, fileLanes=" + lanes);
            }
            this.fileLanes = lanes;
            return this;
        }

        /**
         * How often a background thread looks for data files whose every entry is consumed, and
         * deletes them (default 1 second). {@link Duration#ZERO} turns deletion off: every file is
         * kept. Which consumers a file waits for: see the README, "Disk use".
         */
        public Builder deleteConsumedFilesEvery(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("interval must not be negative, interval=" + interval);
            }
            long millis = interval.compareTo(Duration.ofDays(365_000)) > 0 ? Long.MAX_VALUE : interval.toMillis();
            this.reclaimIntervalMillis = interval.isZero() ? 0 : Math.max(1, millis);
            return this;
        }

        /**
         * Sync-each's default lanes: fdatasyncs of different files overlap in the kernel, which is a
         * property of the disk and file system, not of the processors (2 to 16 writers measured 1.2x
         * to 1.6x the appends of one shared lane: BENCHMARKS.md, "Flush lanes side by side").
         */
        private static final int SYNC_EACH_FILE_LANES = 8;

        private int defaultFileLanes() {
            return fsync instanceof FsyncSchedule.SyncEach ? SYNC_EACH_FILE_LANES
                    : Math.min(8, Runtime.getRuntime().availableProcessors());
        }

        public Walrus open() throws IOException {
            Path root = dataDir != null ? dataDir : Path.of(envOr("WALRUS_DATA_DIR", "wal_files"));
            String effectiveKey = keySet ? key : System.getenv("WALRUS_INSTANCE_KEY");
            Path directory = effectiveKey == null || effectiveKey.isEmpty()
                    ? root : root.resolve(DataFileNames.sanitizeKey(effectiveKey));
            StorageBackend chosen = backend != null ? backend : defaultBackend;
            LogConfig config = new LogConfig(directory.toAbsolutePath(), consistency.persistEvery(),
                    flushPolicy(fsync), chosen == StorageBackend.MMAP, blockSize, blocksPerFile,
                    fileLanes > 0 ? fileLanes : defaultFileLanes(),
                    chosen == StorageBackend.MMAP ? DataFiles.MMAP : IoUringSupport.fdBackend(), reclaimIntervalMillis);
            return new Walrus(WriteAheadLog.open(config));
        }

        private static FlushPolicy.Kind flushPolicy(FsyncSchedule schedule) {
            return switch (schedule) {
                case FsyncSchedule.SyncEach s -> FlushPolicy.Kind.syncEach();
                case FsyncSchedule.Milliseconds m -> FlushPolicy.Kind.every(m.millis());
                case FsyncSchedule.NoFsync n -> FlushPolicy.Kind.onCloseOnly();
            };
        }

        private static String envOr(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isEmpty() ? fallback : value;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Appends one entry to the end of {@code topic}, creating the topic on first write. Under
     * {@code syncEach()} the entry is on stable storage when this returns.
     *
     * @throws TopicBusyException while a batch append runs for this topic; nothing was written
     * @throws IllegalArgumentException for an empty or over-long topic, or a payload over {@link #MAX_ENTRY_BYTES}
     */
    @Override
    public void appendForTopic(String topic, byte[] data) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkPayload(data, "data");
        log.append(topic, data);
    }

    /**
     * Appends 1 to {@link #MAX_BATCH_ENTRIES} entries atomically: after any failure or crash either
     * all of them are readable or none is.
     *
     * @throws TopicBusyException while another batch append runs for this topic; nothing was written
     */
    @Override
    public void batchAppendForTopic(String topic, List<byte[]> batch) throws IOException {
        Arguments.checkTopic(topic);
        log.batchAppend(topic, Arguments.checkBatch(batch));
    }

    /**
     * Makes every append that has returned so far durable now, whatever the fsync schedule: the data
     * files are forced (fdatasync) and the directory synced if a file was created since, as the
     * schedule's own flushes do. For a schedule that rarely or never flushes ({@code noFsync()}, a
     * long interval) where some writes must be on disk at a point the caller chooses. Cursors are
     * not touched; appends made meanwhile may or may not be covered.
     *
     * @throws IOException when the flush failed (the exception names the file and the cause), or a
     *                     write or flush had failed before; the instance then takes no more writes
     *                     (fail-stop: nothing since is known to be on disk), close and reopen it
     */
    public void flush() throws IOException {
        log.flush();
    }

    // ------------------------------------------------------------------ reading

    /**
     * The next entry of {@code topic} after its cursor. With {@code checkpoint} the cursor moves past
     * it (and is persisted as the consistency mode says); without, this is a peek.
     *
     * @return empty for an unknown or fully consumed topic
     */
    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint) throws IOException {
        Arguments.checkTopic(topic);
        byte[] data = log.readNext(topic, checkpoint);
        return data == null ? Optional.empty() : Optional.of(new Entry(data));
    }

    /**
     * Entries after the cursor in commit order, until their payload bytes would exceed
     * {@code maxBytes} or {@link #MAX_BATCH_ENTRIES} are reached; at least one when one is available.
     */
    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        return Arguments.entries(log.batchRead(topic, maxBytes, MAX_BATCH_ENTRIES, checkpoint));
    }

    /**
     * As {@link #readNext(String, boolean)}, waiting up to {@code timeout} for an entry to be committed
     * (the topic need not exist yet): returns as soon as one is, and parks the thread meanwhile (no
     * busy spinning). {@code Duration.ZERO} does not wait.
     *
     * @return empty if no entry was committed within the timeout
     * @throws IllegalStateException if the instance closes while waiting
     * @throws java.io.InterruptedIOException if the thread is interrupted while waiting (its interrupt status is kept)
     */
    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint, Duration timeout) throws IOException {
        Arguments.checkTopic(topic);
        byte[] data = log.readNext(topic, checkpoint, Arguments.timeoutNanos(timeout));
        return data == null ? Optional.empty() : Optional.of(new Entry(data));
    }

    /**
     * As {@link #batchReadForTopic(String, long, boolean)}, waiting up to {@code timeout} for a first
     * entry; see {@link #readNext(String, boolean, Duration)}.
     */
    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        long nanos = Arguments.timeoutNanos(timeout);
        return Arguments.entries(log.batchRead(topic, maxBytes, MAX_BATCH_ENTRIES, checkpoint, nanos));
    }

    /**
     * The zero-copy form of {@link #batchReadForTopic(String, long, boolean)}: the same entries (the
     * same selection, caps, cursor movement and peeking), each handed to {@code visitor} in place, as
     * a read-only view of its payload valid only during the visit, instead of being copied into a
     * new {@link Entry}. Each entry's checksum is verified before its visit. Nothing is allocated per
     * entry: copy what must outlive the visit (see {@link EntryVisitor}).
     *
     * <p>If a visit throws, the batch stops there and the exception comes out of this call (an
     * IOException as it is, anything else unchecked as it is): with {@code checkpoint} the cursor
     * has moved past the entries whose visits returned, and the next read hands out the one whose
     * visit threw (at-least-once for it). The same holds when the batch meets damage or an I/O
     * error after some visits. The checkpoint is counted and persisted as the consistency mode says
     * after the visits, before this call returns: under {@code strictlyAtOnce()} a crash during the
     * call may hand the visited entries out again, where the copying read would not have handed them
     * out at all.
     *
     * @return how many entries were visited: 0 for an unknown or fully consumed topic
     * @throws IllegalStateException if a visit reads this same topic of the default consumer again
     */
    public int visitBatchForTopic(String topic, long maxBytes, boolean checkpoint, EntryVisitor visitor)
            throws IOException {
        return visitBatchForTopic(topic, maxBytes, checkpoint, Duration.ZERO, visitor);
    }

    /**
     * As {@link #visitBatchForTopic(String, long, boolean, EntryVisitor)}, waiting up to
     * {@code timeout} for a first entry; see {@link #readNext(String, boolean, Duration)}.
     */
    public int visitBatchForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout,
                                 EntryVisitor visitor) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        long nanos = Arguments.timeoutNanos(timeout);
        Arguments.checkVisitor(visitor);
        return log.visitBatch(topic, maxBytes, MAX_BATCH_ENTRIES, checkpoint, nanos, visitor);
    }

    /**
     * Entries of {@code topic} by position, for readers that keep their positions themselves (the
     * followers of a replicated node): from the entry numbered {@code fromSequence} (a topic's entries
     * are numbered 0, 1, 2, ... in commit order, as {@link TopicStats#nextSequence()} counts them), in
     * commit order, until their payload bytes would exceed {@code maxBytes} or {@code maxEntries} are
     * reached; at least one when one is committed at {@code fromSequence}. A batch append is seen
     * whole or not at all, and any entry of it may be asked for. No cursor moves and nothing is
     * persisted: the default consumer's and the named ones' reads are not affected.
     *
     * <p>Reading on from where the last call ended ({@code fromSequence + returned.size()}) is cheap:
     * the instance remembers where the last few reads of each topic ended, so several readers can
     * each scan a topic at their own pace. Any other start is found by walking the entry headers of
     * the block that holds it.
     *
     * @param fromSequence where to start, 0 or more; if deletion of consumed files has taken that entry,
     *                     reading starts at the earliest entry the topic still holds (entries do not
     *                     carry their number: {@link #stats()} gives that one as
     *                     {@code nextSequence() - entries()})
     * @param maxEntries   1 to {@link #MAX_BATCH_ENTRIES}
     * @return empty for an unknown topic, or when no entry is committed at {@code fromSequence} yet
     * @throws IllegalArgumentException for a negative {@code fromSequence} or {@code maxBytes}, or
     *                                  {@code maxEntries} out of range; nothing is read
     */
    public List<Entry> readFrom(String topic, long fromSequence, long maxBytes, int maxEntries) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkFromSequence(fromSequence);
        Arguments.checkMaxBytes(maxBytes);
        Arguments.checkMaxEntries(maxEntries);
        return Arguments.entries(log.readFrom(topic, fromSequence, maxBytes, maxEntries));
    }

    // ------------------------------------------------------------------ named consumers

    /**
     * The named consumer {@code name}, created if it does not exist yet, starting at the earliest
     * retained entry of every topic. See {@link #consumer(String, StartPosition)}.
     */
    @Override
    public Consumer consumer(String name) throws IOException {
        return consumer(name, StartPosition.EARLIEST);
    }

    /**
     * The named consumer {@code name}: its own persisted cursor on every topic, beside the default
     * consumer that {@link #readNext(String, boolean)} follows. A new consumer is created durably
     * (it is in {@link #consumers()} from now on, across restarts) and starts at {@code start}; an
     * existing one resumes where its cursors are, whatever {@code start} says.
     *
     * @param name 1 to {@link #MAX_CONSUMER_NAME_BYTES} UTF-8 bytes, any characters: its files are
     *             named after it sanitised as instance keys are, plus a hash of the exact name
     */
    public Consumer consumer(String name, StartPosition start) throws IOException {
        Arguments.checkConsumerName(name);
        Objects.requireNonNull(start, "start");
        return new Consumer(log.consumer(name, start == StartPosition.LATEST));
    }

    /** The names of the named consumers, sorted; the default consumer is not among them. */
    @Override
    public List<String> consumers() {
        return log.consumers();
    }

    /**
     * Removes the named consumer and deletes its cursors durably: no later open finds it. Reads in
     * progress on it finish first; its waiting reads, and every later call through a {@link Consumer}
     * of that name, throw IllegalStateException. A consumer created later with the same name starts
     * afresh.
     *
     * @return false if there was no consumer of that name
     */
    @Override
    public boolean removeConsumer(String name) throws IOException {
        Arguments.checkConsumerName(name);
        return log.removeConsumer(name);
    }

    /**
     * Deletes, now, the data files whose every entry each consumer that counts has checkpointed
     * durably, as the background thread does on its own every second (see
     * {@link Builder#deleteConsumedFilesEvery(Duration)} and the README, "Disk use").
     *
     * @return how many data files were deleted
     * @throws IOException when writing the retention file or deleting a file failed; deletion then
     *                     stops until the instance is reopened, and the log itself is unharmed
     */
    public int deleteConsumedFiles() throws IOException {
        return log.reclaimConsumedFiles();
    }

    /**
     * Deletes, now, the data files whose every entry lies before the given position of its topic,
     * whatever this instance's consumers have read: for an application that keeps read positions of
     * its own (a replicated node keeps its cursors in replicated state) and reads by position with
     * {@link #readFrom}. {@code floors} maps a topic to the sequence of its first entry to keep; a topic
     * not in it keeps everything. As with {@link #deleteConsumedFiles()}, only whole files go, and only
     * once every block in them is below its topic's floor, so entries before a floor may stay; a read
     * by a consumer standing before a floor continues at the first entry kept.
     *
     * @return how many data files were deleted
     * @throws IOException when writing the retention file or deleting a file failed; deletion then
     *                     stops until the instance is reopened, and the log itself is unharmed
     */
    public int deleteEntriesBefore(java.util.Map<String, Long> floors) throws IOException {
        Objects.requireNonNull(floors, "floors");
        for (java.util.Map.Entry<String, Long> floor : floors.entrySet()) {
            Arguments.checkTopic(floor.getKey());
            Objects.requireNonNull(floor.getValue(), "floor of topic " + floor.getKey());
            if (floor.getValue() < 0) {
                throw new IllegalArgumentException("floor of topic '" + floor.getKey() + "' must not be negative, floor="
                        + floor.getValue());
            }
        }
        return log.reclaimFilesBelow(java.util.Map.copyOf(floors));
    }

    // ------------------------------------------------------------------ observing

    /**
     * A snapshot of this instance: per topic its entries, bytes, cursor and lag; per instance its
     * files, blocks and fsyncs. Cheap enough to poll (no I/O); it waits only for a read in progress
     * on a topic, to take that topic's cursor.
     */
    public WalrusStats stats() {
        return log.stats();
    }

    // ------------------------------------------------------------------ lifecycle

    /** The directory this instance keeps its files in. */
    public Path directory() {
        log.checkOpen();
        return log.directory();
    }

    /**
     * Makes every acknowledged append durable, persists every cursor, stops background threads and
     * releases the files. Waiting reads are woken and throw IllegalStateException. Idempotent;
     * afterwards every other method throws IllegalStateException.
     */
    @Override
    public void close() throws IOException {
        log.close();
    }
}
