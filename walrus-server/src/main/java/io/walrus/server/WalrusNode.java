package io.walrus.server;

import io.walrus.client.ClusterSettings;
import io.walrus.client.NodeAddresses;
import io.walrus.client.TlsCredentials;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/** One running node: a Ratis server for the cluster's group, its state machine over a Walrus instance. */
final class WalrusNode implements AutoCloseable {
    private final NodeConfig config;
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final WalrusStateMachine stateMachine;

    private WalrusNode(NodeConfig config, RaftServer server, RaftGroupId groupId, WalrusStateMachine stateMachine) {
        this.config = config;
        this.server = server;
        this.groupId = groupId;
        this.stateMachine = stateMachine;
    }

    /**
     * Checks everything that can be checked before writing (the port is free, the data directory is
     * this node's or new), then starts serving.
     */
    static WalrusNode start(NodeConfig config, AppliedWrites appliedWrites) throws IOException {
        // The TLS files first: a wrong one stops the start before anything is written.
        Parameters parameters = config.tls() == null ? new Parameters() : TlsCredentials.load(config.tls()).raftParameters();
        checkPortFree(config.self());
        boolean fresh = DataDirectoryIdentity.check(config);
        if (fresh) {
            DataDirectoryIdentity.write(config);
        }
        List<RaftPeer> peers = config.peers().stream()
                .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
                .toList();
        RaftGroup group = RaftGroup.valueOf(ClusterSettings.groupId(config.cluster()), peers);
        WalrusStateMachine stateMachine = new WalrusStateMachine(config.storage(), appliedWrites);
        RaftServer server = RaftServer.newBuilder()
                .setGroup(group)
                .setServerId(RaftPeerId.valueOf(config.id()))
                .setProperties(RaftNodeProperties.of(config, config.dataDir().resolve("raft")))
                .setStateMachine(stateMachine)
                .setParameters(parameters)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        return new WalrusNode(config, server, group.getGroupId(), stateMachine);
    }

    String id() {
        return config.id();
    }

    String cluster() {
        return config.cluster();
    }

    WalrusStateMachine stateMachine() {
        return stateMachine;
    }

    /** This node's member of the cluster's group; empty while the server does not (or no longer) serve it. */
    Optional<RaftServer.Division> division() {
        try {
            return Optional.of(server.getDivision(groupId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Readiness readiness() {
        return Readiness.of(server, groupId);
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
        server.close();
    }
}
