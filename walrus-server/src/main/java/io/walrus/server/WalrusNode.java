package io.walrus.server;

import io.walrus.client.GroupLayout;
import io.walrus.client.GroupMembers;
import io.walrus.client.NodeAddresses;
import io.walrus.client.TlsCredentials;

import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running node: a Ratis server that is a member of each of the cluster's Raft groups, each
 * group with its own state machine over its own Walrus instance.
 */
final class WalrusNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalrusNode.class);
    private final NodeConfig config;
    private final GroupLayout layout;
    private final RaftServer server;
    private final Map<RaftGroupId, WalrusStateMachine> stateMachines;
    private final ScheduledExecutorService handOverCheck;

    private WalrusNode(NodeConfig config, GroupLayout layout, RaftServer server,
                       Map<RaftGroupId, WalrusStateMachine> stateMachines) {
        this.config = config;
        this.layout = layout;
        this.server = server;
        this.stateMachines = stateMachines;
        // Once a second: a leader Ratis left refusing writes after a failed hand-over takes them
        // again within a second (AbandonedHandOvers), instead of until the next election.
        this.handOverCheck = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("walrus-hand-over-check").daemon().factory());
        handOverCheck.scheduleWithFixedDelay(this::releaseAbandonedHandOvers, 1, 1, TimeUnit.SECONDS);
    }

    private void releaseAbandonedHandOvers() {
        try {
            divisions().forEach(AbandonedHandOvers::release);
        } catch (RuntimeException e) {
            // A group going away under the look (the node stopping): the next second looks again;
            // an exception escaping would end the schedule.
            LOG.debug("hand-over check skipped: {}", e.toString());
        }
    }

    /**
     * Checks everything that can be checked before writing (the port is free, the data directory is
     * this node's or new, with the same number of groups), then starts serving every group.
     */
    static WalrusNode start(NodeConfig config, AppliedWrites appliedWrites) throws IOException {
        // The TLS files first: a wrong one stops the start before anything is written.
        Parameters parameters = config.tls() == null ? new Parameters() : TlsCredentials.load(config.tls()).raftParameters();
        checkPortFree(config.self());
        DataDirectoryIdentity.Found found = DataDirectoryIdentity.check(config);
        boolean joining = found.fresh() && config.join();
        int groups = joining ? ClusterToJoin.groups(config) : found.groups().orElse(config.groupsOrDefault());
        if (found.fresh()) {
            DataDirectoryIdentity.write(config, groups);
        }
        GroupLayout layout = new GroupLayout(config.cluster(), groups);
        File raftDirectory = config.dataDir().resolve("raft").toFile();
        checkNoForeignGroups(raftDirectory, layout);
        // A joining node knows no members: it must not campaign, and the leaders tell it the members
        // when they add it (Ratis stages it, sending it the log or a snapshot, before it counts).
        List<RaftGroup> members = joining ? ClusterToJoin.memberless(layout) : GroupMembers.of(layout, config.peers());
        Map<RaftGroupId, WalrusStateMachine> stateMachines = new ConcurrentHashMap<>();
        RaftServer server = RaftServer.newBuilder()
                .setGroup(members.getFirst())
                .setServerId(RaftPeerId.valueOf(config.id()))
                .setProperties(RaftNodeProperties.of(config, raftDirectory.toPath()))
                // A new state machine each time Ratis asks: a group removed and added again gets a fresh one.
                .setStateMachineRegistry(id -> stateMachines.compute(id, (gid, old) -> new WalrusStateMachine(
                        config.storage(), appliedWrites, new GroupTopics(layout, layout.indexOf(gid)))))
                .setParameters(parameters)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
            joinEveryGroup(server, members);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new WalrusNode(config, layout, server, stateMachines);
    }

    private static final AtomicLong CALL_IDS = new AtomicLong();

    /**
     * Ratis starts the group given to its builder and the groups whose directories it finds; the
     * others are added here. A group found is left as Ratis recovered it: its members come from its
     * log. (One formatted and never told its members before this node stopped has none until a
     * leader reaches it, as a joining node; only if every node stopped so at their first start would
     * the group have no one to lead it.)
     */
    private static void joinEveryGroup(RaftServer server, List<RaftGroup> members) throws IOException {
        for (RaftGroup group : members) {
            RaftGroupId id = group.getGroupId();
            boolean running = false;
            for (RaftGroupId served : server.getGroupIds()) {
                running |= served.equals(id);
            }
            if (!running) {
                check(server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(), server.getId(),
                        CALL_IDS.incrementAndGet(), group, true)), "join", id);
            }
        }
    }

    private static void check(RaftClientReply reply, String what, RaftGroupId id) throws IOException {
        if (!reply.isSuccess()) {
            throw new IOException("could not " + what + " Raft group " + id + ": " + reply.getException());
        }
    }

    /** A group directory that is not one of the layout's: a data directory of another layout. */
    private static void checkNoForeignGroups(File raftDirectory, GroupLayout layout) throws IOException {
        File[] entries = raftDirectory.listFiles(File::isDirectory);
        if (entries == null) {
            return;
        }
        for (File entry : entries) {
            RaftGroupId id;
            try {
                id = RaftGroupId.valueOf(UUID.fromString(entry.getName()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (layout.indexOf(id) < 0) {
                throw new IOException("--data-dir " + raftDirectory.getParent() + " holds Raft group " + id.getUuid()
                        + ", which is not one of the " + layout.count() + " groups of cluster '" + layout.cluster()
                        + "': it was written with another --cluster or --groups");
            }
        }
    }

    String id() {
        return config.id();
    }

    String cluster() {
        return config.cluster();
    }

    GroupLayout layout() {
        return layout;
    }

    /** The state machine of group {@code index}, if this node serves it. */
    Optional<WalrusStateMachine> stateMachine(int index) {
        return Optional.ofNullable(stateMachines.get(layout.id(index)));
    }

    /** This node's member of group {@code index}; empty while the server does not (or no longer) serve it. */
    Optional<RaftServer.Division> division(int index) {
        try {
            return Optional.of(server.getDivision(layout.id(index)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** This node's members of its groups, in the layout's order, leaving out any it does not serve now. */
    List<RaftServer.Division> divisions() {
        List<RaftServer.Division> divisions = new ArrayList<>();
        for (int i = 0; i < layout.count(); i++) {
            division(i).ifPresent(divisions::add);
        }
        return divisions;
    }

    /** Ready when every group is: the first group that is not says why. */
    Readiness readiness() {
        List<String> serving = new ArrayList<>();
        for (int i = 0; i < layout.count(); i++) {
            Readiness group = Readiness.of(server, layout.id(i));
            String name = layout.count() == 1 ? "" : "group " + i + ": ";
            if (!group.ready()) {
                return Readiness.notReady(name + group.reason());
            }
            serving.add(name + group.reason());
        }
        return new Readiness(true, String.join("; ", serving));
    }

    private static void checkPortFree(NodeAddresses.Node self) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(self.host(), self.port()));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + self.address() + ": " + e.getMessage()
                    + " (is another node or program using port " + self.port() + "?)", e);
        }
    }

    @Override
    public void close() throws IOException {
        handOverCheck.shutdownNow();
        server.close();
    }
}
