package io.walrus.server;

import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.LifeCycle;

import java.io.IOException;

/**
 * Whether a node serves: its Raft server runs, it is in the group, the group has a leader it knows
 * and has heard from lately (or it is that leader, ready), and its state machine is running (not
 * paused to install a snapshot). {@code GET /ready} answers with this.
 *
 * @param ready  whether the node serves
 * @param reason one line: what it is doing if ready, why not otherwise
 */
record Readiness(boolean ready, String reason) {

    static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }

    static Readiness of(RaftServer server, RaftGroupId groupId) {
        LifeCycle.State serverState = server.getLifeCycleState();
        if (serverState != LifeCycle.State.RUNNING) {
            return notReady("the Raft server is " + serverState);
        }
        RaftServer.Division division;
        try {
            division = server.getDivision(groupId);
        } catch (IOException e) {
            return notReady("not serving group " + groupId + ": " + e.getMessage());
        }
        DivisionInfo info = division.getInfo();
        if (!info.isAlive()) {
            return notReady("the group's member is " + info.getLifeCycleState());
        }
        LifeCycle.State machine = division.getStateMachine().getLifeCycleState();
        if (machine != LifeCycle.State.RUNNING) {
            return notReady("the state machine is " + machine + " (installing a snapshot from the leader?)");
        }
        long term = info.getCurrentTerm();
        String self = division.getId().toString();
        if (info.isLeader()) {
            return info.isLeaderReady() ? new Readiness(true, self + " leads term " + term)
                    : notReady(self + " was elected in term " + term + " but has not committed an entry of it yet");
        }
        if (info.getLeaderId() == null) {
            return notReady("no leader known: " + self + " is " + info.getCurrentRole().name().toLowerCase()
                    + " in term " + term + " (is a majority of the peers reachable?)");
        }
        RoleInfoProto role = info.getRoleInfoProto();
        // A follower keeps the id of a leader that died until its election timeout fires; past the
        // longest timeout without a word from it, it is no leader to serve with.
        if (role.hasFollowerInfo()) {
            long silentMs = role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs();
            long timeoutMs = division.properties().maxRpcTimeoutMs();
            if (silentMs > timeoutMs) {
                return notReady("leader " + info.getLeaderId() + " not heard from for " + silentMs + " ms (timeout "
                        + timeoutMs + " ms)");
            }
        }
        return new Readiness(true, self + " follows leader " + info.getLeaderId() + " in term " + term);
    }
}
