package io.walrus.server;

import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Releases a leader that Ratis left "stepping down" for good. A leader hands its group over to a
 * member of higher priority once that member is up to date (how the groups' leaders stay spread,
 * {@code GroupMembers}); while the hand-over is pending it refuses every write
 * ({@code LeaderSteppingDownException}). Ratis 3.2.0 to 3.2.2 (and its main branch as of 2026-07,
 * {@code TransferLeadership.start}) answers a hand-over whose first step failed at once (the
 * transferee's {@code StartLeaderElection} already failed, a dead node refusing the connection) by
 * completing the pending request without clearing it and without its timeout: the leader then
 * refuses writes until some election happens in the group, and with the other members healthy none
 * does. Seen in the cluster fault campaign (seed 4158282598435): a group's leader answered every
 * write with "is stepping down" for over two minutes after its preferred leader was killed.
 *
 * <p>A pending hand-over whose answer is already complete is such a leftover (Ratis clears the
 * pending one before completing it everywhere else), so it is cleared here, exactly as Ratis's own
 * timeout would have. This reaches into Ratis's package-private classes by reflection; if they are
 * not as expected (another Ratis version), it says so once and does nothing.
 */
final class AbandonedHandOvers {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedHandOvers.class);
    private static final Access ACCESS = Access.find();

    private AbandonedHandOvers() {
    }

    /** Reflective handles on Ratis 3.2's {@code RaftServerImpl.getTransferLeadership()} and its pending request. */
    private record Access(Method transferLeadership, Field pending, Method replyFuture) {
        static Access find() {
            try {
                Class<?> serverImpl = Class.forName("org.apache.ratis.server.impl.RaftServerImpl");
                Method transferLeadership = serverImpl.getDeclaredMethod("getTransferLeadership");
                transferLeadership.setAccessible(true);
                Class<?> transfer = Class.forName("org.apache.ratis.server.impl.TransferLeadership");
                Field pending = transfer.getDeclaredField("pending");
                pending.setAccessible(true);
                Class<?> request = Class.forName("org.apache.ratis.server.impl.TransferLeadership$PendingRequest");
                Method replyFuture = request.getDeclaredMethod("getReplyFuture");
                replyFuture.setAccessible(true);
                return new Access(transferLeadership, pending, replyFuture);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("this Ratis version does not have the hand-over internals a node looks at ({}); a leader "
                        + "left stepping down by Ratis stays so until an election", e.toString());
                return null;
            }
        }
    }

    /** Whether {@code division} leads and holds a hand-over that Ratis finished but never cleared; clears it if so. */
    static boolean release(RaftServer.Division division) {
        if (ACCESS == null || !division.getInfo().isLeader()) {
            return false;
        }
        try {
            AtomicReference<?> pending = pending(division);
            Object request = pending.get();
            if (request == null || !((CompletableFuture<?>) ACCESS.replyFuture().invoke(request)).isDone()) {
                return false;
            }
            @SuppressWarnings("unchecked")
            boolean cleared = ((AtomicReference<Object>) pending).compareAndSet(request, null);
            if (cleared) {
                LOG.warn("{}: cleared a leadership hand-over Ratis had ended without clearing; the leader takes "
                        + "writes again", division.getMemberId());
            }
            return cleared;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{}: could not look at its leadership hand-over: {}", division.getMemberId(), e.toString());
            return false;
        }
    }

    /** Ratis's pending hand-over of {@code division} (tests put one there). */
    static AtomicReference<?> pending(RaftServer.Division division) throws ReflectiveOperationException {
        return (AtomicReference<?>) ACCESS.pending().get(transferLeadership(division));
    }

    /** Ratis's {@code TransferLeadership} of {@code division}. */
    static Object transferLeadership(RaftServer.Division division) throws ReflectiveOperationException {
        return ACCESS.transferLeadership().invoke(division);
    }

    static boolean available() {
        return ACCESS != null;
    }
}
