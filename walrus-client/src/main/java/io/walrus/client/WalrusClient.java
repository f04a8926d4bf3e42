package io.walrus.client;

import io.walrus.Arguments;
import io.walrus.Entry;
import io.walrus.Walrus;
import io.walrus.WalrusLog;
import io.walrus.client.wire.Command;
import io.walrus.client.wire.Reply;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WalrusLog} replicated over a cluster of {@code walrus-server} nodes: the same operations as
 * the embedded {@link Walrus}, each one a Raft write or a linearizable read (docs/CLUSTER.md says
 * which, and what each guarantees).
 *
 * <pre>{@code
 * try (WalrusLog log = WalrusClient.connect("127.0.0.1:6001,127.0.0.1:6002,127.0.0.1:6003")) {
 *     log.appendForTopic("orders", bytes);          // returns once a majority holds it
 *     log.readNext("orders", true);                  // the cursor moves on every node
 * }
 * }</pre>
 *
 * <p>The cluster's topics are spread over its Raft groups (one per node by default, each led by
 * another node): each topic lives in one group ({@link GroupLayout#groupOf}), which orders its
 * appends and cursors; the client sends each call to the topic's group. Named consumers exist in
 * every group.
 *
 * <p>An append returns once its entry is committed: in the Raft logs of a majority of nodes, on disk.
 * A call the cluster cannot complete within the {@linkplain Builder#timeout(Duration) timeout} (no
 * majority, no node reachable) throws an {@link IOException} naming the addresses; such an append may
 * still be committed later, as with any replicated log, so the caller does not know whether it took.
 * Thread-safe: one client serves any number of threads.
 */
public final class WalrusClient implements WalrusLog {
    /** The default for {@link Builder#timeout(Duration)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final GroupLayout layout;
    /** One per group, in the layout's order. */
    private final List<RaftCalls> groups;
    private final List<NodeAddresses.Node> addresses;
    private volatile boolean closed;

    private WalrusClient(GroupLayout layout, List<RaftCalls> groups, List<NodeAddresses.Node> addresses) {
        this.layout = layout;
        this.groups = List.copyOf(groups);
        this.addresses = addresses;
    }

    /** A client of the cluster {@code addresses} ({@code host:port[,host:port...]}) with default settings. */
    public static WalrusClient connect(String addresses) throws IOException {
        return builder().addresses(addresses).connect();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How to reach a cluster. */
    public static final class Builder {
        private List<NodeAddresses.Node> nodes;
        private String cluster = ClusterSettings.DEFAULT_CLUSTER;
        private Duration timeout = DEFAULT_TIMEOUT;
        private TlsCredentials tls;

        private Builder() {
        }

        /** Some or all of the nodes, {@code host:port[,host:port...]} (or {@code id=host:port}). */
        public Builder addresses(String addresses) {
            this.nodes = NodeAddresses.parse(addresses);
            return this;
        }

        /** The cluster's name, as given to its nodes with {@code --cluster} (default {@code walrus}). */
        public Builder cluster(String name) {
            Objects.requireNonNull(name, "cluster");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("cluster name must not be empty");
            }
            this.cluster = name;
            return this;
        }

        /**
         * How long one call may take before it fails with an IOException (default 15 s): time to find
         * a leader after a failure, to commit, and for the leader's answer. A waiting read waits its
         * own timeout on top.
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, timeout=" + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Mutual TLS with the nodes (started with the same options): this client presents the
         * certificate in {@code certificateChain} (its key in {@code privateKey}) and accepts only
         * nodes whose certificates chain to one in {@code trustedCertificates}. All PEM; docs/CLUSTER.md
         * says how to make them. Default: plain connections, which a TLS node refuses.
         *
         * @throws IOException naming the file, when one is missing, unreadable, not PEM, or the key is
         *                     not the certificate's: read and checked now, before any node is asked
         */
        public Builder tls(Path certificateChain, Path privateKey, Path trustedCertificates) throws IOException {
            return tls(new TlsFiles(certificateChain, privateKey, trustedCertificates));
        }

        /** As {@link #tls(Path, Path, Path)}. */
        public Builder tls(TlsFiles files) throws IOException {
            this.tls = TlsCredentials.load(files);
            return this;
        }

        /**
         * Finds the cluster's members through the first address that answers and returns a client.
         *
         * @throws IOException naming every address tried, when none answered within the timeout
         */
        public WalrusClient connect() throws IOException {
            if (nodes == null) {
                throw new IllegalStateException("no addresses given");
            }
            RaftProperties properties = properties(timeout);
            Parameters parameters = tls == null ? new Parameters() : tls.raftParameters();
            long deadline = System.nanoTime() + timeout.toNanos();
            ClusterDiscovery.Cluster found = ClusterDiscovery.discover(nodes, cluster, properties, parameters, deadline);
            List<String> tried = nodes.stream().map(NodeAddresses.Node::address).toList();
            List<RaftCalls> groups = new ArrayList<>();
            for (int i = 0; i < found.layout().count(); i++) {
                RaftGroup group = found.group(i);
                RaftClient raft = RaftClient.newBuilder().setProperties(properties).setParameters(parameters)
                        .setRaftGroup(group).setRetryPolicy(retryPolicy(timeout)).build();
                groups.add(new RaftCalls(raft, group, timeout, tried));
            }
            return new WalrusClient(found.layout(), groups, nodes);
        }
    }

    private static final long RETRY_SLEEP_MILLIS = 100;

    private static RaftProperties properties(Duration timeout) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        ClusterSettings.applyTransportLimits(properties);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(RaftCalls.ATTEMPT_MILLIS, TimeUnit.MILLISECONDS));
        return properties;
    }

    /** Retry every kind of request (after a pause) until {@code timeout} has passed since it was first sent. */
    private static RetryPolicy retryPolicy(Duration timeout) {
        RetryPolicy pause = RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(RETRY_SLEEP_MILLIS, TimeUnit.MILLISECONDS));
        TimeDuration limit = TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS);
        RequestTypeDependentRetryPolicy.Builder policy = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : RaftClientRequestProto.TypeCase.values()) {
            policy.setRetryPolicy(type, pause).setTimeout(type, limit);
        }
        return policy.build();
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void appendForTopic(String topic, byte[] data) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkPayload(data, "data");
        ClusterSettings.checkEntrySize(data, "data");
        checkOpen();
        calls(topic).write(new Command.Append(topic, data), Reply.Done.class);
    }

    @Override
    public void batchAppendForTopic(String topic, List<byte[]> batch) throws IOException {
        Arguments.checkTopic(topic);
        byte[][] entries = Arguments.checkBatch(batch);
        ClusterSettings.checkBatchSize(entries);
        checkOpen();
        calls(topic).write(new Command.BatchAppend(topic, entries), Reply.Done.class);
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint) throws IOException {
        return readNext(topic, checkpoint, Duration.ZERO);
    }

    @Override
    public Optional<Entry> readNext(String topic, boolean checkpoint, Duration timeout) throws IOException {
        return readNext(Command.DEFAULT_CONSUMER, topic, checkpoint, timeout);
    }

    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint) throws IOException {
        return batchReadForTopic(topic, maxBytes, checkpoint, Duration.ZERO);
    }

    @Override
    public List<Entry> batchReadForTopic(String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException {
        return batchRead(Command.DEFAULT_CONSUMER, topic, maxBytes, checkpoint, timeout);
    }

    Optional<Entry> readNext(String consumer, String topic, boolean checkpoint, Duration timeout) throws IOException {
        Arguments.checkTopic(topic);
        long nanos = Arguments.timeoutNanos(timeout);
        checkOpen();
        List<byte[]> payloads = calls(topic).read(consumer, topic, checkpoint, 0, 1, nanos);
        return payloads.isEmpty() ? Optional.empty() : Optional.of(new Entry(payloads.getFirst()));
    }

    List<Entry> batchRead(String consumer, String topic, long maxBytes, boolean checkpoint, Duration timeout)
            throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkMaxBytes(maxBytes);
        long nanos = Arguments.timeoutNanos(timeout);
        checkOpen();
        List<byte[]> payloads = calls(topic).read(consumer, topic, checkpoint,
                Math.min(maxBytes, ClusterSettings.MAX_READ_BYTES), Walrus.MAX_BATCH_ENTRIES, nanos);
        List<Entry> entries = new ArrayList<>(payloads.size());
        payloads.forEach(p -> entries.add(new Entry(p)));
        return entries;
    }

    // ------------------------------------------------------------------ named consumers

    /**
     * The named consumer {@code name}, created on every node if it does not exist yet, with its cursors
     * at every topic's first entry. Its checkpoints are replicated as the default consumer's are.
     *
     * <p>It is created in each Raft group in turn (its cursors live with the topics'). If this throws,
     * it may exist in some groups and not others; calling again completes it (creating is idempotent).
     */
    @Override
    public ClusterConsumer consumer(String name) throws IOException {
        Arguments.checkConsumerName(name);
        checkOpen();
        for (RaftCalls group : groups) {
            group.write(new Command.CreateConsumer(name), Reply.Done.class);
        }
        return new ClusterConsumer(this, name);
    }

    /** The named consumers: those of every group (a consumer half created by a failed call among them). */
    @Override
    public List<String> consumers() throws IOException {
        checkOpen();
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (RaftCalls group : groups) {
            names.addAll(group.query(new Command.ListConsumers(), Reply.Names.class).names());
        }
        return List.copyOf(names);
    }

    /**
     * Removes the named consumer from every group; true if any had it. If this throws, some groups may
     * still have it; calling again completes the removal.
     */
    @Override
    public boolean removeConsumer(String name) throws IOException {
        Arguments.checkConsumerName(name);
        checkOpen();
        boolean removed = false;
        for (RaftCalls group : groups) {
            removed |= group.write(new Command.RemoveConsumer(name), Reply.Flag.class).value();
        }
        return removed;
    }

    // ------------------------------------------------------------------ beyond WalrusLog

    /**
     * Up to {@code maxEntries} committed entries of {@code topic} from sequence {@code fromSequence} on
     * (entries are numbered from 0), moving no cursor: what {@code walrus dump --cluster} prints.
     */
    public Reply.Entries scan(String topic, long fromSequence, long maxBytes, int maxEntries) throws IOException {
        Arguments.checkTopic(topic);
        Arguments.checkFromSequence(fromSequence);
        Arguments.checkMaxBytes(maxBytes);
        Arguments.checkMaxEntries(maxEntries);
        checkOpen();
        return calls(topic).query(new Command.Scan(topic, fromSequence, Math.min(maxBytes, ClusterSettings.MAX_READ_BYTES),
                maxEntries), Reply.Entries.class);
    }

    /**
     * How many entries {@code topic} has committed (0 for a topic never written), as the leader has
     * applied them: a linearizable read, like {@link #scan}.
     */
    public long committedEntries(String topic) throws IOException {
        Arguments.checkTopic(topic);
        checkOpen();
        return calls(topic).query(new Command.Status(), Reply.NodeState.class).topics().stream()
                .filter(t -> t.topic().equals(topic)).mapToLong(Reply.TopicState::entries).findFirst().orElse(0);
    }

    /** The cluster's members as this client found them (every node is a member of every group). */
    public List<RaftPeer> peers() {
        return List.copyOf(groups.getFirst().group().getPeers());
    }

    /** How the cluster's topics are spread over its Raft groups. */
    public GroupLayout layout() {
        return layout;
    }

    /**
     * The applied state of Raft group {@code group} on one node, read from that node alone (not through
     * the leader): its applied index and per topic of the group its entries. For status displays and
     * for checking replicas against each other.
     */
    public Reply.NodeState nodeState(RaftPeer node, int group) throws IOException {
        return nodeState(node, group, 0);
    }

    /** As {@link #nodeState(RaftPeer, int)}, once the node has applied log index {@code minIndex} of the group. */
    public Reply.NodeState nodeState(RaftPeer node, int group, long minIndex) throws IOException {
        checkOpen();
        return group(group).queryNode(new Command.Status(), node, minIndex, Reply.NodeState.class);
    }

    /**
     * What one node's member of group {@code group} did lately, asked of that node alone: its appends
     * over the last seconds, their latency where it leads, its Raft log's fsync times, its disk use
     * ({@link Reply.NodeFigures}). For status displays. A node of an older version refuses it with an
     * {@code IOException}.
     */
    public Reply.NodeFigures nodeFigures(RaftPeer node, int group) throws IOException {
        checkOpen();
        return group(group).queryNode(new Command.Figures(), node, 0, Reply.NodeFigures.class);
    }

    /**
     * Up to {@code maxEntries} entries of {@code topic} from {@code fromSequence} on as one node holds
     * them, read from that node alone once it holds the writes of {@code mark} (it waits for that,
     * within the timeout): for checking every replica against the others.
     */
    public Reply.Entries scanNode(RaftPeer node, String topic, long fromSequence, int maxEntries, WriteMark mark)
            throws IOException {
        Arguments.checkTopic(topic);
        checkOpen();
        int group = layout.groupOf(topic);
        return groups.get(group).queryNode(new Command.Scan(topic, fromSequence, ClusterSettings.MAX_READ_BYTES,
                maxEntries), node, mark.index(group), Reply.Entries.class);
    }

    /**
     * Returns once every node of the cluster has committed the writes of {@code mark} (say,
     * {@link #lastWrites()}) in every group: then each of them holds every one of those writes. Fails
     * with an IOException when a node stays behind past the timeout (it is down, or cut off).
     */
    public void awaitCommittedOnEveryNode(WriteMark mark) throws IOException {
        checkOpen();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).awaitCommittedEverywhere(mark.index(i));
        }
    }

    /** Per group, the Raft log index of the last write (append, checkpointing read, consumer change) this client completed. */
    public WriteMark lastWrites() {
        List<Long> indexes = new ArrayList<>(groups.size());
        groups.forEach(g -> indexes.add(g.lastWriteIndex()));
        return new WriteMark(indexes);
    }

    /**
     * Asks one node to take a snapshot of group {@code group} now (Ratis's snapshot management; the node
     * refuses when fewer than {@code raft.server.snapshot.creation.gap} entries were applied since its
     * last one). A snapshot also deletes the data files every consumer has read. Returns the
     * snapshot's log index.
     */
    public long takeSnapshot(RaftPeer node, int group) throws IOException {
        checkOpen();
        return group(group).takeSnapshot(node);
    }

    /** Ratis's own view of group {@code group} from one node: roles, commit indexes (for {@code walrus cluster status}). */
    public org.apache.ratis.protocol.GroupInfoReply groupInfo(RaftPeer node, int group) throws IOException {
        checkOpen();
        return group(group).groupInfo(node);
    }

    // ------------------------------------------------------------------ membership

    /**
     * Adds node {@code id}, listening at {@code address} ({@code host:port}), to every Raft group of
     * the cluster, one group after another, each through Ratis's configuration change: the group's
     * leader first brings the node up to date (its log, or a snapshot), then commits the new members.
     * Start the node first, with {@code walrus-server --join} and a new data directory. Writes go on
     * meanwhile. The groups' preferred leaders are spread over the new members
     * ({@link GroupMembers}), so the node takes the leadership of its share of the groups once it has
     * caught up. If this throws, some groups may have the node and others not; calling it again
     * completes it.
     */
    public void addNode(String id, String address) throws IOException {
        NodeAddresses.Node node = NodeAddresses.parse(Objects.requireNonNull(id, "id") + "="
                + Objects.requireNonNull(address, "address")).getFirst();
        checkOpen();
        membership().add(RaftPeer.newBuilder().setId(node.id()).setAddress(node.address()).build());
    }

    /**
     * Removes node {@code id} from every group it is a member of (a leader it is hands over once the
     * change is committed); the node may be stopped after. Returns whether it was a member of any.
     * Refused when it is the last member of a group.
     */
    public boolean removeNode(String id) throws IOException {
        Objects.requireNonNull(id, "id");
        checkOpen();
        return membership().remove(id);
    }

    /**
     * Makes node {@code id} the leader of Raft group {@code group}, and its preferred leader from then
     * on (its priority in the group is raised above the others': Ratis transfers leadership only to
     * the member of highest priority). A later {@link #addNode} or {@link #removeNode} spreads the
     * preferred leaders again.
     */
    public void transferLeader(int group, String id) throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.checkIndex(group, groups.size());
        checkOpen();
        membership().transferLeader(group, id);
    }

    private ClusterMembership membership() {
        return new ClusterMembership(layout, groups);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            IOException failure = null;
            for (RaftCalls group : groups) {
                try {
                    group.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this WalrusClient is closed");
        }
    }

    private RaftCalls calls(String topic) {
        return groups.get(layout.groupOf(topic));
    }

    private RaftCalls group(int group) {
        Objects.checkIndex(group, groups.size());
        return groups.get(group);
    }

    @Override
    public String toString() {
        return "WalrusClient" + addresses.stream().map(NodeAddresses.Node::address).toList();
    }
}
