package io.walrus.client;

import io.walrus.client.wire.Command;
import io.walrus.client.wire.CommandCodec;
import io.walrus.client.wire.MalformedMessageException;
import io.walrus.client.wire.Reply;
import io.walrus.client.wire.ReplyCodec;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StaleReadException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends commands to one Raft group through a Ratis client and turns what comes back into replies or
 * IOExceptions: the one place where the client meets Ratis (a client has one per group). Writes go through the Raft log (Ratis's retry cache makes
 * a retried call count once); queries are linearizable reads at the leader; a waiting read is a
 * series of long polls, each an unordered read the node answers when an entry arrives.
 */
final class RaftCalls implements AutoCloseable {
    /** The longest single long poll; a longer wait is several, so an idle reader sends one request per this. */
    static final long POLL_CHUNK_MILLIS = 2_000;
    /**
     * How long one attempt of a request may take before Ratis tries again (elsewhere, if the node is
     * gone): a long poll chunk and its answer fit in it. A call that cannot complete fails at most this
     * long after its timeout.
     */
    static final long ATTEMPT_MILLIS = POLL_CHUNK_MILLIS + 1_000;

    private final RaftClient raft;
    /** The members as this client knows them: found at connect, or set by its own changes. */
    private volatile RaftGroup group;
    private final Duration timeout;
    private final List<String> addresses;
    private final AtomicLong lastWriteIndex = new AtomicLong();

    RaftCalls(RaftClient raft, RaftGroup group, Duration timeout, List<String> addresses) {
        this.raft = raft;
        this.group = group;
        this.timeout = timeout;
        this.addresses = addresses;
    }

    RaftGroup group() {
        return group;
    }

    /** How long one call may take. */
    Duration timeout() {
        return timeout;
    }

    <R extends Reply> R write(Command.Write command, Class<R> expected) throws IOException {
        RaftClientReply reply = blocking(() -> raft.io().send(message(command)), name(command));
        R decoded = decode(reply, command, expected);
        lastWriteIndex.accumulateAndGet(reply.getLogIndex(), Math::max);
        return decoded;
    }

    /** Returns once every member has committed log index {@code index}. */
    void awaitCommittedEverywhere(long index) throws IOException {
        RaftClientReply reply = blocking(() -> raft.io().watch(index, ReplicationLevel.ALL_COMMITTED),
                "a wait for log index " + index + " on every node");
        if (!reply.isSuccess()) {
            throw new IOException("not every node committed log index " + index + ": " + reply.getException());
        }
    }

    /** The highest Raft log index of a write this client completed. */
    long lastWriteIndex() {
        return lastWriteIndex.get();
    }

    <R extends Reply> R query(Command.Query command, Class<R> expected) throws IOException {
        return decode(blocking(() -> raft.io().sendReadOnly(message(command)), name(command)), command, expected);
    }

    /**
     * From one node's applied state alone, whatever its role, once it has applied log index
     * {@code minIndex}: for status and replica checks.
     */
    <R extends Reply> R queryNode(Command.Query command, RaftPeer node, long minIndex, Class<R> expected)
            throws IOException {
        // Ratis answers a stale read at once, refusing it while the node has not committed minIndex;
        // so the client asks again until it has, or the timeout has passed. A node learns the commit
        // index from its leader's next message, so it may trail the leader's view of it briefly (even
        // after a watch for ALL_COMMITTED: the leader's view of a follower that restarted can be ahead).
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        while (true) {
            RaftClientReply reply;
            try {
                reply = blocking(() -> raft.io().sendStaleRead(message(command), minIndex, node.getId()), name(command));
            } catch (IOException e) {
                if (!staleRead(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                reply = null;
            }
            if (reply != null && !(staleRead(reply.getException()) && System.nanoTime() - deadline < 0)) {
                return decode(reply, command, expected);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for node " + node.getId()
                        + " to commit log index " + minIndex);
            }
            pauseMillis = Math.min(200, pauseMillis * 2);
        }
    }

    /** Whether the node refused a read from its state because it had not committed the index asked for yet. */
    private static boolean staleRead(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof StaleReadException) {
                return true;
            }
        }
        return false;
    }

    long takeSnapshot(RaftPeer node) throws IOException {
        RaftClientReply reply = blocking(() -> raft.getSnapshotManagementApi(node.getId()).create(timeout.toMillis()),
                "a snapshot on node " + node.getId());
        if (!reply.isSuccess()) {
            throw new IOException("node " + node.getId() + " took no snapshot: " + reply.getException());
        }
        return reply.getLogIndex();
    }

    GroupInfoReply groupInfo(RaftPeer node) throws IOException {
        return raft.getGroupManagementApi(node.getId()).info(raft.getGroupId());
    }

    /**
     * Makes {@code members} the group's configuration (Ratis's setConfiguration, through the leader):
     * returns once it is committed. A new member is first brought up to date by the leader (the log,
     * or a snapshot), so this takes as long as that.
     */
    void setMembers(List<RaftPeer> members) throws IOException {
        RaftClientReply reply = blocking(() -> raft.admin().setConfiguration(members),
                "a change of group " + raft.getGroupId() + "'s members to " + ids(members));
        if (!reply.isSuccess()) {
            throw new IOException("group " + raft.getGroupId() + " did not take the members " + ids(members) + ": "
                    + ClusterDiscovery.describe(reply.getException()));
        }
        group = RaftGroup.valueOf(group.getGroupId(), members);
    }

    /** Asks the group's leader to hand over to {@code member} (Ratis's transferLeadership); returns once it has. */
    void transferLeadership(RaftPeer member) throws IOException {
        RaftClientReply reply = blocking(() -> raft.admin().transferLeadership(member.getId(), timeout.toMillis()),
                "a transfer of group " + raft.getGroupId() + "'s leadership to " + member.getId());
        if (!reply.isSuccess()) {
            throw new IOException("group " + raft.getGroupId() + "'s leadership did not move to " + member.getId() + ": "
                    + ClusterDiscovery.describe(reply.getException()));
        }
    }

    private static List<String> ids(List<RaftPeer> members) {
        return members.stream().map(p -> p.getId() + "@" + p.getAddress()).toList();
    }

    /**
     * Entries after {@code consumer}'s cursor; a checkpointing read moves it on every node. With a
     * timeout, waits for a first entry by long polls: each poll returns once an entry is readable
     * (the node answers when it applies one) or after at most {@link #POLL_CHUNK_MILLIS}.
     */
    List<byte[]> read(String consumer, String topic, boolean checkpoint, long maxBytes, int maxEntries,
                      long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean mayHaveEntry = timeoutNanos == 0 || pollOnce(consumer, topic, deadline);
        while (true) {
            if (mayHaveEntry) {
                List<byte[]> entries = checkpoint
                        ? write(new Command.CheckpointRead(consumer, topic, maxBytes, maxEntries), Reply.Entries.class).payloads()
                        : query(new Command.Peek(consumer, topic, maxBytes, maxEntries), Reply.Entries.class).payloads();
                if (!entries.isEmpty() || timeoutNanos == 0) {
                    return entries;
                }
            }
            // Nothing (another reader of this cursor may have taken what the poll saw): wait again.
            if (deadline - System.nanoTime() <= 0) {
                return List.of();
            }
            mayHaveEntry = pollOnce(consumer, topic, deadline);
        }
    }

    /** One long poll; whether an entry is readable now. */
    private boolean pollOnce(String consumer, String topic, long deadline) throws IOException {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            return false;
        }
        long millis = Math.min(POLL_CHUNK_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos + 999_999)));
        Command.AwaitEntry poll = new Command.AwaitEntry(consumer, topic, millis);
        CompletableFuture<RaftClientReply> answer = raft.async().sendReadOnlyUnordered(message(poll));
        return decode(awaitPoll(answer, poll, TimeUnit.MILLISECONDS.toNanos(millis + ATTEMPT_MILLIS)), poll,
                Reply.Flag.class).value();
    }

    private static Message message(Command command) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(CommandCodec.encode(command)));
    }

    @FunctionalInterface
    private interface Call {
        RaftClientReply send() throws IOException;
    }

    /**
     * A blocking Ratis call: Ratis retries it (on another node after a leader change; its retry cache
     * makes a retried write count once) until {@link #timeout} has passed since it was sent, then it fails.
     */
    private RaftClientReply blocking(Call call, String what) throws IOException {
        try {
            return call.send();
        } catch (InterruptedIOException e) {
            throw e;
        } catch (RaftRetryFailureException e) {
            throw new IOException("the cluster at " + addresses + " did not complete " + what + " within "
                    + timeout.toMillis() + " ms (is a majority of its nodes running and reachable?): "
                    + ClusterDiscovery.describe(e), e);
        } catch (IOException e) {
            throw new IOException("the cluster at " + addresses + " failed " + what + ": "
                    + ClusterDiscovery.describe(e), e);
        } catch (RuntimeException e) {
            // Ratis 3.2.0's client can throw unchecked from its own races: a thread reconnecting after a
            // failure closes a connection another thread has just looked up (NullPointerException in
            // GrpcClientRpc.sendRequest). An earlier attempt may have been committed: as after a timeout.
            throw new IOException("the cluster at " + addresses + " failed " + what + " (Ratis's client threw "
                    + e + ")", e);
        }
    }

    private RaftClientReply awaitPoll(CompletableFuture<RaftClientReply> future, Command command, long waitNanos)
            throws IOException {
        try {
            return future.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + name(command));
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("the cluster at " + addresses + " did not answer " + name(command) + " within "
                    + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms (is a majority of its nodes running and reachable?)");
        } catch (ExecutionException e) {
            throw new IOException("the cluster at " + addresses + " failed " + name(command) + ": "
                    + ClusterDiscovery.describe(e.getCause()), e.getCause());
        }
    }

    private static <R extends Reply> R decode(RaftClientReply reply, Command command, Class<R> expected)
            throws IOException {
        if (!reply.isSuccess()) {
            RaftException cause = reply.getException();
            throw new IOException("the cluster refused " + name(command) + ": "
                    + (cause != null ? ClusterDiscovery.describe(cause) : "no reason given"), cause);
        }
        Reply decoded;
        try {
            decoded = ReplyCodec.decode(reply.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (MalformedMessageException e) {
            throw new IOException("node " + reply.getServerId() + " answered " + name(command) + " with " + e.getMessage(), e);
        }
        if (decoded instanceof Reply.Refused refused) {
            throw new IOException("the cluster refused " + name(command) + ": " + refused.message());
        }
        if (!expected.isInstance(decoded)) {
            throw new IOException("node " + reply.getServerId() + " answered " + name(command) + " with "
                    + decoded.getClass().getSimpleName() + ", expected " + expected.getSimpleName());
        }
        return expected.cast(decoded);
    }

    private static String name(Command command) {
        return switch (command) {
            case Command.Append c -> "an append to '" + c.topic() + "'";
            case Command.BatchAppend c -> "a batch append of " + c.entries().length + " entries to '" + c.topic() + "'";
            case Command.CheckpointRead c -> "a read of '" + c.topic() + "'";
            case Command.CreateConsumer c -> "the creation of consumer '" + c.name() + "'";
            case Command.RemoveConsumer c -> "the removal of consumer '" + c.name() + "'";
            case Command.Peek c -> "a peek at '" + c.topic() + "'";
            case Command.AwaitEntry c -> "a wait for an entry of '" + c.topic() + "'";
            case Command.ListConsumers c -> "the list of consumers";
            case Command.Scan c -> "a scan of '" + c.topic() + "'";
            case Command.Status c -> "a status query";
            case Command.Figures c -> "a figures query";
        };
    }

    @Override
    public void close() throws IOException {
        raft.close();
    }
}
