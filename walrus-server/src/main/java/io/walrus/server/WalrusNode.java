package io.walrus.server;

import io.walrus.client.ClusterSettings;
import io.walrus.client.NodeAddresses;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** One running node: a Ratis server for the cluster's group, its state machine over a Walrus instance. */
final class WalrusNode implements AutoCloseable {
    private final RaftServer server;

    private WalrusNode(RaftServer server) {
        this.server = server;
    }

    /**
     * Checks everything that can be checked before writing (the port is free, the data directory is
     * this node's or new), then starts serving.
     */
    static WalrusNode start(NodeConfig config) throws IOException {
        checkPortFree(config.self());
        boolean fresh = DataDirectoryIdentity.check(config);
        if (fresh) {
            DataDirectoryIdentity.write(config);
        }
        List<RaftPeer> peers = config.peers().stream()
                .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
                .toList();
        RaftGroup group = RaftGroup.valueOf(ClusterSettings.groupId(config.cluster()), peers);
        RaftServer server = RaftServer.newBuilder()
                .setGroup(group)
                .setServerId(RaftPeerId.valueOf(config.id()))
                .setProperties(RaftNodeProperties.of(config, config.dataDir().resolve("raft")))
                .setStateMachine(new WalrusStateMachine(config.storage()))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        return new WalrusNode(server);
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
