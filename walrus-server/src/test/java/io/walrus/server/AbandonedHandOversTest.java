package io.walrus.server;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Constructor;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state Ratis 3.2 leaves a leader in when a hand-over's first step fails at once (its pending
 * request answered, never cleared), put there by hand on a real one-member Ratis group: the leader
 * refuses writes as "stepping down" and goes on refusing them, until {@link AbandonedHandOvers}
 * clears it; a hand-over still under way is left alone.
 */
class AbandonedHandOversTest {
    private static final RaftPeerId ID = RaftPeerId.valueOf("n1");

    @TempDir
    Path dir;

    @Test
    void aLeaderLeftSteppingDownTakesWritesAgainOnceReleased() throws Exception {
        assertTrue(AbandonedHandOvers.available(), "Ratis's hand-over internals as this node expects them");
        try (Group group = Group.start(dir)) {
            RaftServer.Division leader = group.leader();
            assertFalse(AbandonedHandOvers.release(leader), "nothing to release on a healthy leader");
            group.write("before");

            put(leader, pendingHandOver(leader, true));
            for (int attempt = 0; attempt < 3; attempt++) {
                assertInstanceOf(LeaderSteppingDownException.class, assertThrows(Exception.class,
                        () -> group.write("refused")), "Ratis refuses writes while the answered hand-over stays");
            }
            assertTrue(AbandonedHandOvers.release(leader));
            group.write("after");
            assertFalse(AbandonedHandOvers.release(leader), "released once");
        }
    }

    @Test
    void aHandOverStillUnderWayIsLeftToRatis() throws Exception {
        try (Group group = Group.start(dir)) {
            RaftServer.Division leader = group.leader();
            Object underWay = pendingHandOver(leader, false);
            put(leader, underWay);
            assertFalse(AbandonedHandOvers.release(leader));
            assertTrue(AbandonedHandOvers.pending(leader).get() == underWay, "still Ratis's to finish");
            ((AtomicReference<?>) AbandonedHandOvers.pending(leader)).set(null);
            group.write("after");
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(RaftServer.Division leader, Object pending) throws ReflectiveOperationException {
        ((AtomicReference<Object>) AbandonedHandOvers.pending(leader)).set(pending);
    }

    /** A {@code TransferLeadership.PendingRequest} of {@code leader}'s, answered or not. */
    private static Object pendingHandOver(RaftServer.Division leader, boolean answered) throws Exception {
        Object transfer = AbandonedHandOvers.transferLeadership(leader);
        Class<?> type = Class.forName("org.apache.ratis.server.impl.TransferLeadership$PendingRequest");
        Constructor<?> constructor = type.getDeclaredConstructor(transfer.getClass(), TransferLeadershipRequest.class);
        constructor.setAccessible(true);
        Object request = constructor.newInstance(transfer, new TransferLeadershipRequest(ClientId.randomId(), ID,
                leader.getGroup().getGroupId(), 1, RaftPeerId.valueOf("n2"), 1000));
        if (answered) {
            var replyFuture = type.getDeclaredMethod("getReplyFuture");
            replyFuture.setAccessible(true);
            @SuppressWarnings("unchecked")
            CompletableFuture<Object> answer = (CompletableFuture<Object>) replyFuture.invoke(request);
            answer.complete(null);
        }
        return request;
    }

    /** One Ratis server alone in its group (it leads at once), with a state machine that only acknowledges. */
    private record Group(RaftServer server, RaftGroup group, RaftClient client) implements AutoCloseable {
        static Group start(Path dir) throws Exception {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            RaftPeer peer = RaftPeer.newBuilder().setId(ID).setAddress("127.0.0.1:" + port).build();
            RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.randomUUID()), List.of(peer));
            RaftProperties properties = new RaftProperties();
            RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
            GrpcConfigKeys.Server.setHost(properties, "127.0.0.1");
            GrpcConfigKeys.Server.setPort(properties, port);
            RaftServerConfigKeys.setStorageDir(properties, List.of(dir.toFile()));
            RaftServer server = RaftServer.newBuilder().setServerId(ID).setGroup(group).setProperties(properties)
                    .setStateMachine(new BaseStateMachine() {
                        @Override
                        public CompletableFuture<Message> applyTransaction(
                                org.apache.ratis.statemachine.TransactionContext trx) {
                            updateLastAppliedTermIndex(trx.getLogEntry().getTerm(), trx.getLogEntry().getIndex());
                            return CompletableFuture.completedFuture(Message.EMPTY);
                        }
                    }).build();
            server.start();
            RaftClient client = RaftClient.newBuilder().setProperties(properties).setRaftGroup(group)
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(600,
                            org.apache.ratis.util.TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))).build();
            return new Group(server, group, client);
        }

        /** The member, once it leads and has committed its term's first entry (a write answers then). */
        RaftServer.Division leader() throws Exception {
            RaftClientReply first = client.io().send(Message.valueOf("first"));
            assertTrue(first.isSuccess(), first.toString());
            return server.getDivision(group.getGroupId());
        }

        void write(String text) throws Exception {
            RaftClientReply reply = client.io().send(Message.valueOf(text));
            assertTrue(reply.isSuccess(), reply.toString());
        }

        @Override
        public void close() throws java.io.IOException {
            client.close();
            server.close();
        }
    }
}
