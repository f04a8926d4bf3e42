package io.walrus.server;

import io.walrus.client.wire.Command;
import io.walrus.client.wire.CommandCodec;
import io.walrus.client.wire.Reply;
import io.walrus.client.wire.ReplyCodec;

import org.apache.ratis.RaftTestUtil;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.impl.BlockRequestHandlingInjection;
import org.apache.ratis.grpc.MiniRaftClusterWithGrpc;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A leader cut off from the other two (Ratis's test kit: three servers over gRPC on loopback in this
 * JVM, every Raft request to or from the leader blocked, while its clients still reach it) accepts no write and serves no read of a state the majority
 * has moved past, while the majority elects a new leader and goes on. Healed, it drops what it took
 * and holds what the majority holds. In-process: the nodes are three Ratis servers over this
 * module's state machine, each with its own Walrus instance.
 */
class ClusterPartitionTest {
    private static final long NO_ANSWER_SECONDS = 5;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void isolatedLeaderAcceptsNoWriteAndServesNoStaleReadThenCatchesUp() throws Exception {
        BlockRequestHandlingInjection partition = BlockRequestHandlingInjection.getInstance();
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        MiniRaftClusterWithGrpc cluster = MiniRaftClusterWithGrpc.FACTORY.newCluster(3, properties);
        cluster.setStateMachineRegistry(group -> new WalrusStateMachine(NodeStorage.DEFAULT));
        try {
            cluster.start();
            RaftServer.Division oldLeader = RaftTestUtil.waitForLeader(cluster);
            RaftPeerId isolated = oldLeader.getId();
            RaftPeerId other = cluster.getFollowers().getFirst().getId();
            List<String> expected = new ArrayList<>();
            try (RaftClient majority = cluster.createClient(other,
                    RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))) {
                for (int i = 0; i < 10; i++) {
                    write(majority, new Command.Append("p", bytes("before-" + i)));
                    expected.add("before-" + i);
                }

                partition.blockRequestor(isolated.toString());
                partition.blockReplier(isolated.toString());
                CompletableFuture<RaftClientReply> cutOffAppend = call(cluster, isolated, c -> c.io().send(
                        message(new Command.Append("p", bytes("during-partition")))));

                // The majority elects a new leader, takes a write and moves the default cursor past before-0.
                write(majority, new Command.Append("p", bytes("after-1")));
                expected.add("after-1");
                Reply.Entries read = assertInstanceOf(Reply.Entries.class,
                        write(majority, new Command.CheckpointRead("", "p", 0, 1)));
                assertEquals(List.of("before-0"), texts(read));

                assertNotAcknowledged(cutOffAppend, "an append sent to the isolated leader");
                assertNotAcknowledged(call(cluster, isolated,
                                c -> c.io().send(message(new Command.CheckpointRead("", "p", 0, 1)))),
                        "a checkpointing read through the isolated leader");
                assertNotAcknowledged(call(cluster, isolated,
                                c -> c.io().sendReadOnly(message(new Command.Peek("", "p", 0, 1)), isolated)),
                        "a peek at the isolated leader (its cursor is stale)");

                partition.unblockAll();
                RaftClientReply last = majority.io().send(message(new Command.Append("p", bytes("after-2"))));
                expected.add("after-2");
                majority.io().watch(last.getLogIndex(), ReplicationLevel.ALL_COMMITTED);
                for (RaftServer.Division node : cluster.iterateDivisions()) {
                    Reply.Entries held = assertInstanceOf(Reply.Entries.class, ReplyCodec.decode(majority.io()
                            .sendStaleRead(message(new Command.Scan("p", 0, 1 << 20, 2000)), last.getLogIndex(),
                                    node.getId()).getMessage().getContent().asReadOnlyByteBuffer()));
                    assertEquals(expected, texts(held), "topic 'p' on " + node.getId());
                    Reply.Entries next = assertInstanceOf(Reply.Entries.class, ReplyCodec.decode(majority.io()
                            .sendStaleRead(message(new Command.Peek("", "p", 0, 1)), last.getLogIndex(), node.getId())
                            .getMessage().getContent().asReadOnlyByteBuffer()));
                    assertEquals(List.of("before-1"), texts(next), "the default cursor on " + node.getId());
                }
            }
        } finally {
            partition.unblockAll();
            cluster.shutdown();
        }
    }

    @FunctionalInterface
    private interface BlockingCall {
        RaftClientReply send(RaftClient client) throws java.io.IOException;
    }

    /**
     * One call through {@code node} alone: a new client that sends to it first and never elsewhere
     * (no retry; a client that learnt of the new leader would go there), on a thread of its own.
     */
    private static CompletableFuture<RaftClientReply> call(MiniRaftClusterWithGrpc cluster, RaftPeerId node,
                                                           BlockingCall call) {
        CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (RaftClient client = cluster.createClient(node, RetryPolicies.noRetry())) {
                reply.complete(call.send(client));
            } catch (Throwable e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /** The call must not come back as a success: no answer in time, an error, or a refusal. */
    private static void assertNotAcknowledged(CompletableFuture<RaftClientReply> call, String what) throws Exception {
        try {
            RaftClientReply reply = call.get(NO_ANSWER_SECONDS, TimeUnit.SECONDS);
            assertFalse(reply.isSuccess(), what + " succeeded: " + reply);
        } catch (TimeoutException | java.util.concurrent.ExecutionException expected) {
            // Not acknowledged.
        }
    }

    private static Reply write(RaftClient client, Command.Write command) throws Exception {
        RaftClientReply reply = client.io().send(message(command));
        return ReplyCodec.decode(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    private static Message message(Command command) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(CommandCodec.encode(command)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(Reply.Entries entries) {
        return entries.payloads().stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }
}
