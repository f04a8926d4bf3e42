package io.walrus.server;

import io.walrus.Arguments;
import io.walrus.Entry;
import io.walrus.TopicStats;
import io.walrus.Walrus;
import io.walrus.WalrusStats;
import io.walrus.client.ClusterSettings;
import io.walrus.client.wire.Command;
import io.walrus.client.wire.CommandCodec;
import io.walrus.client.wire.Reply;
import io.walrus.client.wire.ReplyCodec;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.codahale.metrics.Snapshot;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Applies the committed Raft log to a local Walrus instance. Every node applies the same entries in
 * the same order, so every node's topics and cursors are the same at the same index.
 *
 * <p>Applying is idempotent across a crash at any moment. Walrus keeps a verified prefix of each
 * topic, and the entries of a topic in Walrus are exactly its appends in log order; after a restart
 * Ratis applies the log again from the last snapshot, and an append whose entry Walrus already holds
 * (the topic's applied count is still below what Walrus holds) is counted, not written again. Cursors
 * live in {@link ReplicatedState}, in memory and in snapshots, so applying the log again moves them
 * exactly as the first time.
 *
 * <p>A snapshot is the replicated state at an index, written after the Walrus instance was flushed,
 * plus the Walrus files themselves (sent to a node that fell behind the purged log). Those files may
 * hold entries beyond the snapshot's index (they are written in place); the node that installs them
 * skips those appends as after a restart.
 *
 * <p>An I/O error while applying stops the node (the process exits): a node that cannot apply an
 * entry must not go on with a state its peers do not have. It applies the entry again when restarted.
 */
final class WalrusStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(WalrusStateMachine.class);
    static final String WALRUS_DIRECTORY = "walrus";
    /** Exit status of a node that could not apply a committed entry. */
    static final int EXIT_APPLY_FAILED = 70;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final NodeStorage nodeStorage;
    private final EntryWaiters waiters = new EntryWaiters();
    private final AppliedWrites appliedWrites;
    private final RecentWrites recentWrites = new RecentWrites();
    private final GroupTopics topics;

    private volatile Walrus walrus;
    private volatile ReplicatedState state = new ReplicatedState();
    /** Entries per topic in the Walrus instance; ahead of the applied count only while the log is applied again. */
    private final Map<String, Long> stored = new HashMap<>();
    private volatile FileListSnapshotInfo latestSnapshot;
    /** The group's {@code sm} directory: snapshots, and the Walrus instance under {@value #WALRUS_DIRECTORY}. */
    private Path stateMachineDirectory;

    /** A state machine that holds every topic (one group on its own). */
    WalrusStateMachine(NodeStorage nodeStorage) {
        this(nodeStorage, new AppliedWrites(), GroupTopics.ALL);
    }

    /**
     * @param appliedWrites counts what this applies (for the node's metrics)
     * @param topics        the topics of this group: commands for any other are refused
     */
    WalrusStateMachine(NodeStorage nodeStorage, AppliedWrites appliedWrites, GroupTopics topics) {
        this.nodeStorage = nodeStorage;
        this.appliedWrites = appliedWrites;
        this.topics = topics;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            stateMachineDirectory = raftStorage.getStorageDir().getStateMachineDir().toPath();
            load();
        });
    }

    /**
     * Before Ratis installs a snapshot from the leader into this node's directory (called before each
     * chunk it receives): let go of the directory. An apply in between may have taken it up again
     * ({@link #walrusForApply}), so every call lets go of it.
     */
    @Override
    public synchronized void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            closeWalrus();
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        } else {
            closeWalrus();
        }
    }

    /**
     * The Walrus instance to apply an entry to, taken up again if a snapshot installation paused this
     * state machine. Ratis pauses it before each snapshot chunk, but its updater goes on applying the
     * committed entries meanwhile (all below the snapshot's index, or Ratis would not install it): they
     * are applied to the files as they are, and the snapshot, once installed, replaces both. If the
     * installation is abandoned (its leader died), no reload follows, so an entry skipped here would
     * be lost on this node: none is. (Ratis writes the chunks to a directory of its own and moves them
     * into place only after the last one's pause.)
     */
    private synchronized Walrus walrusForApply() throws IOException {
        Walrus open = walrus;
        if (open == null) {
            open = nodeStorage.open(walrusDirectory());
            walrus = open;
        }
        return open;
    }

    /** After a snapshot was installed: take up the state and the Walrus files it brought. */
    @Override
    public synchronized void reinitialize() throws IOException {
        closeWalrus();
        load();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
        waiters.wakeAll();
    }

    private synchronized void load() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        Path walrusDirectory = walrusDirectory();
        deleteSnapshotSidecars(walrusDirectory);
        ReplicatedState loaded = new ReplicatedState();
        if (snapshot != null) {
            Path file = snapshot.getFile().getPath();
            if (snapshot.getFile().getFileDigest() != null) {
                MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
            }
            loaded = StateSnapshotFile.read(file);
        }
        Walrus opened = nodeStorage.open(walrusDirectory);
        Map<String, Long> held = new HashMap<>();
        for (TopicStats topic : opened.stats().topics()) {
            held.put(topic.topic(), topic.nextSequence());
        }
        for (Map.Entry<String, Long> topic : loaded.appliedEntries().entrySet()) {
            long inWalrus = held.getOrDefault(topic.getKey(), 0L);
            if (inWalrus < topic.getValue()) {
                opened.close();
                throw new IOException("the node's Walrus instance " + walrusDirectory + " holds " + inWalrus
                        + " entries of topic '" + topic.getKey() + "' but its snapshot " + snapshot
                        + " says " + topic.getValue() + " were applied: the instance lost flushed entries");
            }
        }
        stored.clear();
        stored.putAll(held);
        state = loaded;
        walrus = opened;
        if (snapshot != null) {
            setLastAppliedTermIndex(snapshot.getTermIndex());
            latestSnapshot = snapshotFiles(snapshot.getTermIndex(), snapshot.getFile());
        }
        LOG.info("{}: state machine at {}, {} topics in {}", getId(), snapshot != null ? snapshot.getTermIndex()
                : "the start of the log", held.size(), walrusDirectory);
    }

    private Path walrusDirectory() {
        return stateMachineDirectory.resolve(WALRUS_DIRECTORY);
    }

    /** A snapshot installed from the leader leaves an .md5 file beside each Walrus file; Walrus needs none. */
    private static void deleteSnapshotSidecars(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(MD5FileUtil.MD5_SUFFIX)).toList()) {
                Files.delete(file);
            }
        }
    }

    private synchronized void closeWalrus() {
        Walrus open = walrus;
        walrus = null;
        if (open != null) {
            try {
                open.close();
            } catch (IOException | RuntimeException e) {
                // Its files are flushed by the snapshot or applied again from the log; nothing is lost.
                LOG.warn("{}: closing the Walrus instance failed: {}", getId(), e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        waiters.close();
        closeWalrus();
        super.close();
    }

    // ------------------------------------------------------------------ writes

    /** Refuses, on the leader and before anything is logged, a command that is not a valid write. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext transaction = super.startTransaction(request);
        try {
            Command command = CommandCodec.decode(request.getMessage().getContent().asReadOnlyByteBuffer());
            if (!(command instanceof Command.Write write)) {
                throw new IllegalArgumentException(command.getClass().getSimpleName() + " is a query, not a write");
            }
            validate(write);
            String misplaced = topic(write).map(topics::refusal).orElse(null);
            if (misplaced != null) {
                throw new IllegalArgumentException(misplaced);
            }
            // Ratis hands the leader this same context to apply (a follower gets one without it): the
            // append's latency at the leader runs from here to its apply.
            transaction.setStateMachineContext(System.nanoTime());
        } catch (IllegalArgumentException | NullPointerException e) {
            transaction.setException(e);
        }
        return transaction;
    }

    private static void validate(Command.Write write) {
        switch (write) {
            case Command.Append c -> {
                Arguments.checkTopic(c.topic());
                Arguments.checkPayload(c.data(), "data");
                ClusterSettings.checkEntrySize(c.data(), "data");
            }
            case Command.BatchAppend c -> {
                Arguments.checkTopic(c.topic());
                Arguments.checkBatch(List.of(c.entries()));
                ClusterSettings.checkBatchSize(c.entries());
            }
            case Command.CheckpointRead c -> checkRead(c.consumer(), c.topic(), c.maxBytes(), c.maxEntries());
            case Command.CreateConsumer c -> Arguments.checkConsumerName(c.name());
            case Command.RemoveConsumer c -> Arguments.checkConsumerName(c.name());
        }
    }

    /** The topic a command is about; empty for those about consumers, which every group has. */
    private static Optional<String> topic(Command command) {
        return switch (command) {
            case Command.Append c -> Optional.of(c.topic());
            case Command.BatchAppend c -> Optional.of(c.topic());
            case Command.CheckpointRead c -> Optional.of(c.topic());
            case Command.Peek c -> Optional.of(c.topic());
            case Command.AwaitEntry c -> Optional.of(c.topic());
            case Command.Scan c -> Optional.of(c.topic());
            case Command.CreateConsumer c -> Optional.empty();
            case Command.RemoveConsumer c -> Optional.empty();
            case Command.ListConsumers c -> Optional.empty();
            case Command.Status c -> Optional.empty();
            case Command.Figures c -> Optional.empty();
        };
    }

    private static void checkRead(String consumer, String topic, long maxBytes, int maxEntries) {
        if (!consumer.isEmpty()) {
            Arguments.checkConsumerName(consumer);
        }
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        Arguments.checkMaxEntries(maxEntries);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        long start = System.nanoTime();
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        Reply reply;
        try {
            Command command = CommandCodec.decode(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            if (command instanceof Command.Write write) {
                reply = apply(write);
                appliedWrites.applied(metricName(write), start);
                countRecent(write, trx);
            } else {
                reply = new Reply.Refused(command.getClass().getSimpleName() + " is not a write");
            }
        } catch (IllegalArgumentException e) {
            // Bad bytes or arguments (MalformedMessageException among them) are refused the same way on
            // every node, before anything changes: no state changes anywhere.
            reply = new Reply.Refused(e.getMessage());
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            LOG.error("{}: could not apply {}; stopping this node so it does not diverge from its peers "
                    + "(a restart applies it again)", getId(), termIndex, e);
            Runtime.getRuntime().halt(EXIT_APPLY_FAILED);
            throw new AssertionError("halted");
        }
        updateLastAppliedTermIndex(termIndex);
        return CompletableFuture.completedFuture(message(reply));
    }

    /** An append for {@code walrus cluster status}'s figures, timed from its receipt where this node received it. */
    private void countRecent(Command.Write write, TransactionContext trx) {
        int entries = switch (write) {
            case Command.Append c -> 1;
            case Command.BatchAppend c -> c.entries().length;
            default -> 0;
        };
        if (entries > 0) {
            long latency = trx.getStateMachineContext() instanceof Long received ? System.nanoTime() - received : -1;
            recentWrites.applied(entries, latency);
            if (latency >= 0) {
                appliedWrites.appendLatency(topics.index(), latency);
            }
        }
    }

    /**
     * Under the state machine's monitor, as {@link #pause}, {@link #reinitialize} and
     * {@link #takeSnapshot} are: a snapshot installation pauses the state machine (closing the
     * Walrus instance) from another thread while the updater goes on applying, and a pause that
     * closed the instance in the middle of an apply halted the node ("this Walrus instance is
     * closed", cluster fault campaign, seed 4158282598435). Uncontended but for those rare calls.
     */
    private synchronized Reply apply(Command.Write write) throws IOException {
        Walrus log = walrusForApply();
        ReplicatedState current = state;
        return switch (write) {
            case Command.Append c -> {
                if (!alreadyStored(c.topic(), 1)) {
                    log.appendForTopic(c.topic(), c.data());
                    stored.merge(c.topic(), 1L, Long::sum);
                }
                current.addApplied(c.topic(), 1);
                appliedWrites.appended(1);
                waiters.entriesApplied(c.topic());
                yield new Reply.Done();
            }
            case Command.BatchAppend c -> {
                if (!alreadyStored(c.topic(), c.entries().length)) {
                    log.batchAppendForTopic(c.topic(), List.of(c.entries()));
                    stored.merge(c.topic(), (long) c.entries().length, Long::sum);
                }
                current.addApplied(c.topic(), c.entries().length);
                appliedWrites.appended(c.entries().length);
                waiters.entriesApplied(c.topic());
                yield new Reply.Done();
            }
            case Command.CheckpointRead c -> {
                if (!current.hasConsumer(c.consumer())) {
                    yield new Reply.Refused("consumer '" + c.consumer() + "' does not exist (it was removed)");
                }
                long from = current.readPosition(c.consumer(), c.topic());
                // Only what is applied: while the log is applied again after a restart, Walrus already
                // holds later entries, and a read that found nothing the first time must find nothing again.
                int limit = applied(current, c.topic(), from, c.maxEntries());
                List<byte[]> payloads = limit == 0 ? List.of() : read(log, c.topic(), from, c.maxBytes(), limit);
                if (!payloads.isEmpty()) {
                    current.moveCursor(c.consumer(), c.topic(), from + payloads.size());
                }
                yield new Reply.Entries(from, payloads);
            }
            case Command.CreateConsumer c -> {
                current.createConsumer(c.name());
                yield new Reply.Done();
            }
            case Command.RemoveConsumer c -> new Reply.Flag(current.removeConsumer(c.name()));
        };
    }

    /** The {@code command} label of {@code walrus_apply_seconds}. */
    private static String metricName(Command.Write write) {
        return switch (write) {
            case Command.Append c -> "append";
            case Command.BatchAppend c -> "batch_append";
            case Command.CheckpointRead c -> "checkpoint_read";
            case Command.CreateConsumer c -> "create_consumer";
            case Command.RemoveConsumer c -> "remove_consumer";
        };
    }

    /** The node's Walrus instance's figures (fsyncs among them); empty while a snapshot is installed. */
    Optional<WalrusStats> walrusStats() {
        Walrus open = walrus;
        if (open == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(open.stats());
        } catch (RuntimeException e) {
            // Closed under the call (a snapshot being installed): no figures this scrape.
            return Optional.empty();
        }
    }

    /** The group's {@code sm} directory (snapshots, and the Walrus instance); null before initialize. */
    Path stateMachineDirectory() {
        return stateMachineDirectory;
    }

    /**
     * Whether the next {@code count} entries of {@code topic} in log order are in Walrus already: only
     * while the log is applied again after a restart or a snapshot installation.
     */
    private boolean alreadyStored(String topic, int count) {
        long applied = state.appliedEntries(topic);
        long held = stored.getOrDefault(topic, 0L);
        if (applied >= held) {
            return false;
        }
        if (applied + count > held) {
            // Walrus keeps batches whole, so it cannot hold part of one.
            throw new IllegalStateException("Walrus holds " + held + " entries of '" + topic + "', which ends inside the "
                    + count + "-entry batch at " + applied);
        }
        return true;
    }

    // ------------------------------------------------------------------ queries

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            Command command = CommandCodec.decode(request.getContent().asReadOnlyByteBuffer());
            if (!(command instanceof Command.Query query)) {
                return reply(new Reply.Refused(command.getClass().getSimpleName() + " is a write, not a query"));
            }
            String misplaced = topic(query).map(topics::refusal).orElse(null);
            if (misplaced != null) {
                return reply(new Reply.Refused(misplaced));
            }
            if (query instanceof Command.AwaitEntry await) {
                ReplicatedState current = state;
                return waiters.await(await.topic(), () -> current.hasReadable(await.consumer(), await.topic()),
                                Math.max(0, await.timeoutMillis()))
                        .thenApply(readable -> message(new Reply.Flag(readable)));
            }
            return reply(answer(query));
        } catch (IllegalArgumentException e) {
            return reply(new Reply.Refused(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            // The instance closing under the query (a snapshot being installed, the node stopping):
            // the client asks again, here or elsewhere.
            return CompletableFuture.failedFuture(e);
        }
    }

    private Reply answer(Command.Query query) throws IOException {
        ReplicatedState current = state;
        return switch (query) {
            case Command.Peek c -> {
                checkRead(c.consumer(), c.topic(), c.maxBytes(), c.maxEntries());
                if (!current.hasConsumer(c.consumer())) {
                    yield new Reply.Refused("consumer '" + c.consumer() + "' does not exist (it was removed)");
                }
                long from = current.readPosition(c.consumer(), c.topic());
                int limit = applied(current, c.topic(), from, c.maxEntries());
                yield new Reply.Entries(from, limit == 0 ? List.of() : read(openWalrus(), c.topic(), from, c.maxBytes(), limit));
            }
            case Command.Scan c -> {
                checkRead("", c.topic(), c.maxBytes(), c.maxEntries());
                // Entries consumed by every consumer may be deleted: a scan from before them starts at the
                // first kept. Nothing at or after the replicated floor is ever deleted, so a scan from
                // there (tail -f polls from its end) needs no look at what this node holds.
                long from = c.fromSequence() >= current.floor(c.topic()) ? c.fromSequence()
                        : Math.max(c.fromSequence(), earliestKept(c.topic()));
                // Only what is applied: Walrus may hold more while the log is applied again.
                int limit = applied(current, c.topic(), from, c.maxEntries());
                yield new Reply.Entries(from, limit == 0 ? List.of() : read(openWalrus(), c.topic(), from, c.maxBytes(), limit));
            }
            case Command.ListConsumers c -> new Reply.Names(current.namedConsumers());
            case Command.Status c -> {
                List<Reply.TopicState> topics = new ArrayList<>();
                current.appliedEntries().forEach((topic, entries) -> topics.add(
                        new Reply.TopicState(topic, entries, current.cursor(ReplicatedState.DEFAULT_CONSUMER, topic))));
                topics.sort(java.util.Comparator.comparing(Reply.TopicState::topic));
                yield new Reply.NodeState(getLastAppliedTermIndex().getIndex(), topics);
            }
            case Command.Figures c -> figures();
            case Command.AwaitEntry c -> throw new IllegalStateException("answered by query()");
        };
    }

    /** This member's recent appends, its Raft log's fsync times and its disk use, for {@code walrus cluster status}. */
    private Reply.NodeFigures figures() throws IOException {
        RecentWrites.Window recent = recentWrites.window();
        RaftServer server = getServer().getNow(null);
        RaftServer.Division division = server != null ? server.getDivision(getGroupId()) : null;
        long syncP50 = -1;
        long syncP99 = -1;
        long raftLog = -1;
        if (division != null) {
            Optional<Snapshot> syncs = RaftLogTimers.recentSyncs(division);
            if (syncs.isPresent()) {
                syncP50 = (long) syncs.get().getMedian();
                syncP99 = (long) syncs.get().get99thPercentile();
            }
            raftLog = NodeMetrics.bytesUnder(division.getRaftStorage().getStorageDir().getCurrentDir()).orElse(-1);
        }
        long walrusBytes = NodeMetrics.bytesUnder(walrusDirectory().toFile()).orElse(-1);
        return new Reply.NodeFigures(recent.seconds(), recent.appends(), recent.entries(), recent.latencySamples(),
                recent.latencyMeanNanos(), recent.latencyMaxNanos(), syncP50, syncP99, raftLog, walrusBytes);
    }

    /**
     * The sequence of the first entry of {@code topic} this node's Walrus still holds (0 until files
     * were deleted). From stats(), which looks at every topic: only for scans from before the floor.
     */
    private long earliestKept(String topic) throws IOException {
        return openWalrus().stats().topic(topic).map(t -> t.nextSequence() - t.entries()).orElse(0L);
    }

    /** At most {@code maxEntries} of the entries of {@code topic} applied from {@code from} on. */
    private static int applied(ReplicatedState state, String topic, long from, int maxEntries) {
        return (int) Math.min(maxEntries, Math.max(0, state.appliedEntries(topic) - from));
    }

    private static List<byte[]> read(Walrus log, String topic, long from, long maxBytes, int maxEntries)
            throws IOException {
        List<Entry> entries = log.readFrom(topic, from, maxBytes, maxEntries);
        List<byte[]> payloads = new ArrayList<>(entries.size());
        entries.forEach(e -> payloads.add(e.data()));
        return payloads;
    }

    private Walrus openWalrus() throws IOException {
        Walrus open = walrus;
        if (open == null) {
            throw new IOException("node " + getId() + " is installing a snapshot from the leader; try again");
        }
        return open;
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Flushes the Walrus instance, then writes the replicated state at the last applied index, then
     * deletes the Walrus files every consumer had read by then. Ratis calls this between applies, so
     * the state is exactly that index's; once it returns, Ratis may purge the log up to the index,
     * which is safe because every entry up to it is durable in Walrus.
     */
    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || applied.getIndex() < 0) {
            return -1;
        }
        Walrus log = openWalrus();
        log.flush();
        Path file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex()).toPath();
        StateSnapshotFile.write(state, file);
        FileInfo info = new FileInfo(file, MD5FileUtil.computeAndSaveMd5ForFile(file.toFile()));
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, applied));
        // Only now, with the cursors of this snapshot durable: the log is applied again from here
        // after a crash, and no cursor is ever behind where it stands here, so nothing deleted is
        // read again. Before listing the files, so the list names none that is gone.
        int deleted = log.deleteEntriesBefore(state.consumedFloors());
        latestSnapshot = snapshotFiles(applied, info);
        LOG.info("{}: snapshot at {}; {} consumed data files deleted", getId(), applied, deleted);
        return applied.getIndex();
    }

    /**
     * The files a lagging node gets: the state first, then the Walrus files whose order matters
     * (SEALS before the data files it describes, so it never claims more than the data sent after
     * it holds), then the data files, each read whole when sent.
     */
    private FileListSnapshotInfo snapshotFiles(TermIndex index, FileInfo stateFile) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        files.add(stateFile);
        Path directory = walrusDirectory();
        // Names from docs/FORMAT.md, "The instance directory".
        for (String name : List.of("SEALS", "RETENTION")) {
            Path file = directory.resolve(name);
            if (Files.exists(file)) {
                files.add(new FileInfo(file, null));
            }
        }
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(f -> f.getFileName().toString().endsWith(".wal")).sorted()
                    .forEach(f -> files.add(new FileInfo(f, null)));
        }
        return new FileListSnapshotInfo(files, index);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latestSnapshot;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    // ------------------------------------------------------------------ encoding

    private static CompletableFuture<Message> reply(Reply reply) {
        return CompletableFuture.completedFuture(message(reply));
    }

    private static Message message(Reply reply) {
        ByteString bytes = UnsafeByteOperations.unsafeWrap(ReplyCodec.encode(reply));
        return Message.valueOf(bytes);
    }
}
