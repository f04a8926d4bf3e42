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
import org.apache.ratis.statemachine.StateMachine;
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
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Applies the committed Raft log to a local Walrus instance. Every node applies the same entries in
 * the same order, so every node's topics and cursors are the same at the same index.
 *
 * <p>Each payload is written once per node, to Walrus, not to the Raft log as well (Ratis's
 * state-machine data API, as Apache Ozone keeps its chunks). The log entry of an append holds a
 * {@link PayloadReference}; the payloads come beside it, and Ratis hands them to {@link #write} when
 * the node's log takes the entry, in log order, before it commits; {@link #flush} makes them durable
 * before the log's own flush is counted. Each is stored with the entry's {@link PayloadTag}. Applying
 * the entry then finds its payloads at the topic's next place in Walrus: every copy before them that
 * carries another tag is a payload of an entry a new leader truncated, or a second copy written after
 * a crash, and is marked dead ({@link DeadEntries}); reads skip dead entries. Ratis reads a payload
 * back ({@link #read}) only to send a follower an entry that is no longer in its memory.
 *
 * <p>Applying is idempotent across a crash at any moment. Walrus keeps a verified prefix of each
 * topic; after a restart Ratis applies the log again from the last snapshot, and each append finds
 * its payloads again where they were (or a copy the leader sent again, after them). Cursors and dead
 * entries live in {@link ReplicatedState}, in memory and in snapshots, so applying the log again
 * moves them exactly as the first time.
 *
 * <p>A snapshot is the replicated state at an index, written after the Walrus instance was flushed,
 * plus the Walrus files themselves (sent to a node that fell behind the purged log). Those files may
 * hold payloads beyond the snapshot's index; the node that installs them finds them, or marks them
 * dead, as after a restart.
 *
 * <p>An I/O error while applying stops the node (the process exits): a node that cannot apply an
 * entry must not go on with a state its peers do not have. It applies the entry again when restarted.
 */
final class WalrusStateMachine extends BaseStateMachine implements StateMachine.DataApi {
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
    /** Per topic, where Ratis's last {@link #read} of an applied entry found it: the next is usually right after. */
    private final Map<String, FoundPayloads> lastFound = new ConcurrentHashMap<>();
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
     * The Walrus instance to apply an entry to (or to store payloads in, {@link #write}), taken up
     * again if a snapshot installation paused this state machine. Ratis pauses it before each snapshot chunk, but its updater goes on applying the
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
            long physical = topic.getValue() + loaded.dead(topic.getKey()).count();
            if (inWalrus < physical) {
                opened.close();
                throw new IOException("the node's Walrus instance " + walrusDirectory + " holds " + inWalrus
                        + " entries of topic '" + topic.getKey() + "' but its snapshot " + snapshot
                        + " says " + topic.getValue() + " were applied, " + physical + " with the dead ones: "
                        + "the instance lost flushed entries");
            }
        }
        lastFound.clear();
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
                // The files stay as the page cache has them, and every payload of a flushed log entry
                // was forced before that flush (flush()).
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
        long received = System.nanoTime();
        ByteString content = request.getMessage().getContent();
        Command.Write write;
        try {
            Command command = CommandCodec.decode(content.asReadOnlyByteBuffer());
            if (!(command instanceof Command.Write w)) {
                throw new IllegalArgumentException(command.getClass().getSimpleName() + " is a query, not a write");
            }
            write = w;
            validate(write);
            String misplaced = topic(write).map(topics::refusal).orElse(null);
            if (misplaced != null) {
                throw new IllegalArgumentException(misplaced);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            TransactionContext refused = super.startTransaction(request);
            refused.setException(e);
            return refused;
        }
        TransactionContext.Builder transaction = TransactionContext.newBuilder().setStateMachine(this)
                .setClientRequest(request)
                // Ratis hands the leader this same context to apply (a follower gets one without it): the
                // append's latency at the leader runs from here to its apply.
                .setStateMachineContext(received);
        PayloadReference reference = switch (write) {
            case Command.Append c -> new PayloadReference(c.topic(), 1, false);
            case Command.BatchAppend c -> new PayloadReference(c.topic(), c.entries().length, true);
            default -> null;
        };
        if (reference == null) {
            return transaction.setLogData(content).build();
        }
        // The log keeps the reference; the command's bytes go to write() on every node, and to Walrus.
        return transaction.setLogData(UnsafeByteOperations.unsafeWrap(reference.encode())).setStateMachineData(content)
                .build();
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
            ByteBuffer logData = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
            if (PayloadReference.isReference(logData)) {
                PayloadReference reference = PayloadReference.decode(logData);
                reply = applyAppend(reference, termIndex);
                appliedWrites.applied(reference.batch() ? "batch_append" : "append", start);
                countRecent(reference.count(), trx);
            } else {
                Command command = CommandCodec.decode(logData);
                if (command instanceof Command.Write write) {
                    reply = apply(write);
                    appliedWrites.applied(metricName(write), start);
                } else {
                    reply = new Reply.Refused(command.getClass().getSimpleName() + " is not a write");
                }
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
    private void countRecent(int entries, TransactionContext trx) {
        long latency = trx.getStateMachineContext() instanceof Long received ? System.nanoTime() - received : -1;
        recentWrites.applied(entries, latency);
        if (latency >= 0) {
            appliedWrites.appendLatency(topics.index(), latency);
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
            case Command.Append c -> throw inlineAppend(c.topic());
            case Command.BatchAppend c -> throw inlineAppend(c.topic());
            case Command.CheckpointRead c -> {
                if (!current.hasConsumer(c.consumer())) {
                    yield new Reply.Refused("consumer '" + c.consumer() + "' does not exist (it was removed)");
                }
                long from = current.readPosition(c.consumer(), c.topic());
                // Only what is applied: while the log is applied again after a restart, Walrus already
                // holds later entries, and a read that found nothing the first time must find nothing again.
                int limit = applied(current, c.topic(), from, c.maxEntries());
                List<byte[]> payloads = limit == 0 ? List.of()
                        : AppliedPayloads.read(log, c.topic(), current.dead(c.topic()), from, c.maxBytes(), limit);
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
     * Applies an append whose payloads {@link #write} put in Walrus: finds them at the topic's next
     * place, marking dead every copy before them that carries another entry's tag. Under the monitor,
     * as {@link #apply} is.
     */
    private synchronized Reply applyAppend(PayloadReference reference, TermIndex entry) throws IOException {
        Walrus log = walrusForApply();
        ReplicatedState current = state;
        String topic = reference.topic();
        long start = current.appliedEntries(topic) + current.dead(topic).count();
        long physical = start;
        while (true) {
            // Ends where the next append's search starts, which Walrus finds without a walk.
            List<Entry> found = log.readFrom(topic, physical, Long.MAX_VALUE, reference.count());
            if (found.isEmpty()) {
                throw new IOException("the payloads of Raft entry " + entry + " (" + reference.count() + " of topic '"
                        + topic + "') are not in this node's Walrus instance " + log.directory() + " (it holds "
                        + physical + " entries of the topic): the disk kept the log entry but lost its payloads (a "
                        + "power failure on storage that acknowledged a flush it had not done?). Rebuild this node "
                        + "from its peers: stop it, move its data directory aside and start it again (it catches up "
                        + "by snapshot)");
            }
            if (PayloadTag.isFrom(found.get(0).data(), entry)) {
                checkWhole(found, reference, entry, physical);
                break;
            }
            current.deadToAdd(topic).add(physical);
            physical++;
        }
        if (physical > start) {
            LOG.info("{}: {} dead payload(s) in topic '{}' before those of Raft entry {} (of truncated entries, or "
                    + "written twice)", getId(), physical - start, topic, entry);
        }
        current.addApplied(topic, reference.count());
        appliedWrites.appended(reference.count());
        waiters.entriesApplied(topic);
        return new Reply.Done();
    }

    /** Walrus keeps a batch whole, so the first payload of an entry is followed by all the others. */
    private static void checkWhole(List<Entry> found, PayloadReference reference, TermIndex entry, long physical) {
        if (found.size() != reference.count()) {
            throw new IllegalStateException("Walrus holds " + found.size() + " payloads of Raft entry " + entry + " at "
                    + physical + " in topic '" + reference.topic() + "', which has " + reference.count());
        }
        for (Entry payload : found) {
            if (!PayloadTag.isFrom(payload.data(), entry)) {
                throw new IllegalStateException("the payloads of Raft entry " + entry + " at " + physical + " in topic '"
                        + reference.topic() + "' are interleaved with " + PayloadTag.describe(payload.data()));
            }
        }
    }

    /** An append with its payloads in the log entry: what walrus-server logged before they lived in Walrus only. */
    private static IOException inlineAppend(String topic) {
        return new IOException("the Raft log holds an append to '" + topic + "' with its payload in the log entry, "
                + "as walrus-server wrote before payloads lived in Walrus only: every node of a cluster must run the same "
                + "walrus-server version");
    }

    // ------------------------------------------------------------------ payloads (Ratis's state-machine data API)

    /**
     * Stores the payloads of a log entry the node's Raft log is taking (as leader or follower): each
     * with its tag, at the end of its topic in Walrus. Ratis calls this under its log's write lock, in
     * log order, so the copies in Walrus are in the order their entries were logged.
     *
     * <p>Under the monitor, as applies are: right after a snapshot installation, before Ratis has
     * this state machine {@link #reinitialize}, the log already takes the entries that follow it, and
     * they go into the installed files (opened again here), which reinitialize must not close under
     * an append. Nothing holding the monitor waits for Ratis's log, so waiting for it here under the
     * log's lock cannot deadlock.
     */
    @Override
    public synchronized CompletableFuture<?> write(LogEntryProto entry, TransactionContext context) {
        try {
            Walrus log = walrusForApply();
            ByteString data = entry.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
            Command command = CommandCodec.decode(data.asReadOnlyByteBuffer());
            switch (command) {
                case Command.Append c -> log.appendForTopic(c.topic(), PayloadTag.tagged(entry.getTerm(), entry.getIndex(), c.data()));
                case Command.BatchAppend c -> {
                    List<byte[]> tagged = new ArrayList<>(c.entries().length);
                    for (byte[] payload : c.entries()) {
                        tagged.add(PayloadTag.tagged(entry.getTerm(), entry.getIndex(), payload));
                    }
                    log.batchAppendForTopic(c.topic(), tagged);
                }
                default -> throw new IllegalArgumentException(command.getClass().getSimpleName()
                        + " carries no payloads, yet came as state-machine data");
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: could not store the payloads of Raft entry {}", getId(), TermIndex.valueOf(entry), e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Makes every payload written so far durable; Ratis waits for it before forcing its log file and
     * counts the log flushed only after both, so an entry this node acknowledges to its leader has
     * its payloads on its disk. (Run on a thread of its own, with Ratis's statemachine.data.sync off,
     * the two fdatasyncs overlapped but were no faster: 432 single appends a second against 598,
     * bench-cluster, one run each.)
     */
    @Override
    public CompletableFuture<Void> flush(long logIndex) {
        Walrus log = walrus;
        if (log != null) {
            try {
                log.flush();
            } catch (IOException | RuntimeException e) {
                if (walrus == log || !(e instanceof IllegalStateException)) {
                    return CompletableFuture.failedFuture(e);
                }
                // Closed under the call by a snapshot installation's pause: closing made it all durable.
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Nothing to do: the payloads of the truncated entries stay in Walrus and are marked dead when
     * the entries that replace them are applied ({@link #applyAppend}).
     */
    @Override
    public CompletableFuture<Void> truncate(long logIndex) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The state-machine data of a log entry that Ratis no longer holds in memory, to send a follower:
     * the command again, from the leader's transaction while the entry is in flight, else from the
     * payloads in Walrus.
     */
    @Override
    public CompletableFuture<ByteString> read(LogEntryProto entry, TransactionContext context) {
        try {
            if (context != null && context.getStateMachineLogEntry() != null) {
                ByteString data = context.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
                if (!data.isEmpty()) {
                    return CompletableFuture.completedFuture(data);
                }
            }
            PayloadReference reference = PayloadReference.decode(
                    entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            List<byte[]> payloads = storedPayloads(reference, TermIndex.valueOf(entry));
            Command command = reference.batch()
                    ? new Command.BatchAppend(reference.topic(), payloads.toArray(byte[][]::new))
                    : new Command.Append(reference.topic(), payloads.get(0));
            return CompletableFuture.completedFuture(UnsafeByteOperations.unsafeWrap(CommandCodec.encode(command)));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Where {@link #read} last found an applied entry of a topic: logical sequence and entries. */
    private record FoundPayloads(long index, long logical, int count) {
    }

    /** The payloads of log entry {@code entry} from Walrus: among the applied ones, or after them. */
    private List<byte[]> storedPayloads(PayloadReference reference, TermIndex entry) throws IOException {
        try {
            return storedPayloadsOnce(reference, entry);
        } catch (IOException notAfterTheApplied) {
            if (entry.getIndex() > getLastAppliedTermIndex().getIndex()) {
                throw notAfterTheApplied;
            }
            // Applied while it was looked for after the applied ones: it is among them now.
            return storedPayloadsOnce(reference, entry);
        }
    }

    private List<byte[]> storedPayloadsOnce(PayloadReference reference, TermIndex entry) throws IOException {
        Walrus log = openWalrus();
        String topic = reference.topic();
        ReplicatedState current = state;
        DeadEntries dead = current.dead(topic);
        // Read before the applied count: an entry at or below it is counted in the state already.
        long lastApplied = getLastAppliedTermIndex().getIndex();
        long applied = current.appliedEntries(topic);
        if (entry.getIndex() <= lastApplied) {
            long logical = appliedLogical(log, topic, dead, applied, entry);
            lastFound.put(topic, new FoundPayloads(entry.getIndex(), logical, reference.count()));
            return AppliedPayloads.read(log, topic, dead, logical, Long.MAX_VALUE, reference.count());
        }
        // Not applied yet: after the applied entries, among the copies written since.
        for (long physical = applied + dead.count(); ; physical++) {
            List<Entry> found = log.readFrom(topic, physical, Long.MAX_VALUE, reference.count());
            if (found.isEmpty()) {
                throw new IOException("the payloads of Raft entry " + entry + " are not in the Walrus instance of "
                        + getId() + " after the " + applied + " applied entries of topic '" + topic + "'");
            }
            if (PayloadTag.isFrom(found.get(0).data(), entry)) {
                checkWhole(found, reference, entry, physical);
                List<byte[]> payloads = new ArrayList<>(found.size());
                found.forEach(e -> payloads.add(PayloadTag.payload(e.data())));
                return payloads;
            }
        }
    }

    /**
     * The logical sequence of applied entry {@code entry}'s first payload: right after the last one
     * found when Ratis reads a lagging follower's entries in order, else by binary search (applied
     * entries carry increasing indexes in logical order).
     */
    private long appliedLogical(Walrus log, String topic, DeadEntries dead, long applied, TermIndex entry)
            throws IOException {
        FoundPayloads last = lastFound.get(topic);
        long low = earliestKept(topic, dead);
        if (last != null && last.index() < entry.getIndex() && last.logical() + last.count() >= low) {
            long next = last.logical() + last.count();
            if (next < applied && tagAt(log, topic, dead, next).equals(entry)) {
                return next;
            }
            low = next;
        }
        long found = firstAppliedFrom(log, topic, dead, low, applied, entry.getIndex());
        if (found >= applied || !tagAt(log, topic, dead, found).equals(entry)) {
            throw new IOException("the payloads of applied Raft entry " + entry + " are not among the entries of topic '"
                    + topic + "' this node's Walrus instance still holds");
        }
        return found;
    }

    /**
     * The logical sequence of the first applied entry in [{@code low}, {@code applied}) whose Raft
     * index is {@code raftIndex} or more ({@code applied} if none), by binary search: applied entries
     * carry increasing indexes in logical order (a batch's entries share one).
     */
    private static long firstAppliedFrom(Walrus log, String topic, DeadEntries dead, long low, long applied,
                                         long raftIndex) throws IOException {
        long high = applied;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (tagAt(log, topic, dead, middle).getIndex() < raftIndex) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static TermIndex tagAt(Walrus log, String topic, DeadEntries dead, long logical) throws IOException {
        List<Entry> one = log.readFrom(topic, dead.physical(logical), 0, 1);
        if (one.isEmpty()) {
            throw new IOException("topic '" + topic + "' has no applied entry " + logical + " in " + log.directory());
        }
        byte[] stored = one.get(0).data();
        return TermIndex.valueOf(PayloadTag.term(stored), PayloadTag.index(stored));
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
                yield new Reply.Entries(from, limit == 0 ? List.of()
                        : AppliedPayloads.read(openWalrus(), c.topic(), current.dead(c.topic()), from, c.maxBytes(), limit));
            }
            case Command.Scan c -> {
                checkRead("", c.topic(), c.maxBytes(), c.maxEntries());
                // Entries consumed by every consumer may be deleted: a scan from before them starts at the
                // first kept. Nothing at or after the replicated floor is ever deleted, so a scan from
                // there (tail -f polls from its end) needs no look at what this node holds.
                long from = c.fromSequence() >= current.floor(c.topic()) ? c.fromSequence()
                        : Math.max(c.fromSequence(), earliestKept(c.topic(), current.dead(c.topic())));
                // Only what is applied: Walrus holds payloads of entries not committed yet.
                int limit = applied(current, c.topic(), from, c.maxEntries());
                yield new Reply.Entries(from, limit == 0 ? List.of()
                        : AppliedPayloads.read(openWalrus(), c.topic(), current.dead(c.topic()), from, c.maxBytes(), limit));
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
     * The logical sequence of the first entry of {@code topic} this node's Walrus still holds (0 until
     * files were deleted). From stats(), which looks at every topic: for scans from before the floor,
     * Ratis's reads of applied entries and the deletion floors at a snapshot, not for every read.
     */
    private long earliestKept(String topic, DeadEntries dead) throws IOException {
        return openWalrus().stats().topic(topic).map(t -> dead.logical(t.nextSequence() - t.entries())).orElse(0L);
    }

    /** At most {@code maxEntries} of the entries of {@code topic} applied from {@code from} on. */
    private static int applied(ReplicatedState state, String topic, long from, int maxEntries) {
        return (int) Math.min(maxEntries, Math.max(0, state.appliedEntries(topic) - from));
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
    public long takeSnapshot() throws IOException {
        // Asked before taking the monitor, which write() never waits for while holding the log's lock.
        RaftServer server = getServer().getNow(null);
        long logStart = -1;
        try {
            logStart = server == null ? -1 : server.getDivision(getGroupId()).getRaftLog().getStartIndex();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: no Raft log start to keep payloads for ({}); this snapshot deletes no file", getId(), e.toString());
        }
        return takeSnapshot(logStart);
    }

    private synchronized long takeSnapshot(long logStart) throws IOException {
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
        int deleted = logStart < 0 ? 0 : log.deleteEntriesBefore(deletionFloors(log, logStart));
        int folded = deleted > 0 ? foldDeadRangesOfDeletedFiles(log) : 0;
        latestSnapshot = snapshotFiles(applied, info);
        LOG.info("{}: snapshot at {}; {} consumed data files deleted, {} dead ranges in them folded away", getId(),
                applied, deleted, folded);
        return applied.getIndex();
    }

    /** The dead ranges in files just deleted, folded into one a topic (nothing reads there any more); how many went. */
    private int foldDeadRangesOfDeletedFiles(Walrus log) {
        WalrusStats stats = log.stats();
        int folded = 0;
        for (Map.Entry<String, DeadEntries> topic : state.deadByTopic().entrySet()) {
            Optional<TopicStats> kept = stats.topic(topic.getKey());
            if (kept.isPresent()) {
                folded += topic.getValue().foldBelow(kept.get().nextSequence() - kept.get().entries());
            }
        }
        return folded;
    }

    /**
     * Per topic, the physical sequence before which Walrus may delete: below what every consumer read
     * and below every entry the Raft log still holds from {@code logStart} on (it may have to send
     * those to a follower, and their payloads are only here).
     */
    private Map<String, Long> deletionFloors(Walrus log, long logStart) throws IOException {
        ReplicatedState current = state;
        Map<String, Long> floors = new HashMap<>();
        for (Map.Entry<String, Long> consumed : current.consumedFloors().entrySet()) {
            String topic = consumed.getKey();
            DeadEntries dead = current.dead(topic);
            long logged = firstAppliedFrom(log, topic, dead, earliestKept(topic, dead), current.appliedEntries(topic),
                    logStart);
            long keep = Math.min(consumed.getValue(), logged);
            if (keep > 0) {
                floors.put(topic, dead.physical(keep));
            }
        }
        return floors;
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
