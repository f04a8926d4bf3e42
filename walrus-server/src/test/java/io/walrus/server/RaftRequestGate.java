package io.walrus.server;

import org.apache.ratis.util.CodeInjectionForTesting;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Inside one node's JVM: holds every Raft request the node receives from the peers it is cut off
 * from, until it is healed. With each side holding what comes from the other, no Raft message crosses
 * the cut, while clients still reach every node (client requests do not pass through here): the
 * "node cut off from the others" of docs/CLUSTER.md's failure table.
 *
 * <p>Ratis calls this from its handlers of requests from other servers, through the hook its own test
 * kit's {@code BlockRequestHandlingInjection} uses ({@link CodeInjectionForTesting}). A held request
 * is handled once healed, late, as the network may deliver a message late; Raft's terms make a stale
 * one harmless. Holding, not failing, is what Ratis's kit does too: a failed request would make the
 * sender retry at once, over and over, for as long as the cut lasts.
 */
final class RaftRequestGate implements CodeInjectionForTesting.Code {
    /**
     * Ratis's injection points for requests from other servers: {@code RaftServerImpl}'s constants,
     * which are package-private there (the class's simple name, a dot, the handler).
     */
    private static final List<String> PEER_REQUESTS = List.of("RaftServerImpl.requestVote",
            "RaftServerImpl.appendEntries", "RaftServerImpl.installSnapshot", "RaftServerImpl.startLeaderElection");

    private final Set<String> cutOffFrom = new HashSet<>();
    /** Requests held since the last heal: a cut that held none did not cut anything. */
    private long held;

    private RaftRequestGate() {
    }

    /** A gate on every peer request handler of this JVM's Ratis server. */
    static RaftRequestGate install() {
        RaftRequestGate gate = new RaftRequestGate();
        PEER_REQUESTS.forEach(point -> CodeInjectionForTesting.put(point, gate));
        return gate;
    }

    /** From now on, holds every request from {@code peers} (and only from them). */
    synchronized void cutOffFrom(Collection<String> peers) {
        cutOffFrom.clear();
        cutOffFrom.addAll(peers);
        notifyAll();
    }

    /** Lets every held request through and holds no more; how many were held since the last heal. */
    synchronized long heal() {
        cutOffFrom.clear();
        notifyAll();
        long count = held;
        held = 0;
        return count;
    }

    @Override
    public boolean execute(Object localId, Object remoteId, Object... args) {
        if (remoteId == null) {
            return false;
        }
        String from = remoteId.toString();
        synchronized (this) {
            if (cutOffFrom.contains(from)) {
                held++;
            }
            while (cutOffFrom.contains(from)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
