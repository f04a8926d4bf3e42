package io.walrus.server;

import io.walrus.client.WalrusClient;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Three (or more) real nodes on loopback, each its own JVM, on ports the kernel picked and in a
 * temporary directory. {@link #close()} kills every node it started, whatever happened, so a failed
 * test leaves no process behind.
 */
final class LocalCluster implements AutoCloseable {
    final List<TestNode> nodes = new ArrayList<>();
    private final List<WalrusClient> clients = new ArrayList<>();

    LocalCluster(Path dir, int size, String... extraArguments) throws IOException {
        this(dir, size, false, extraArguments);
    }

    /** A cluster whose nodes can be cut off from each other ({@link #isolate}, {@link #heal}). */
    static LocalCluster cuttable(Path dir, int size, String... extraArguments) throws IOException {
        return new LocalCluster(dir, size, true, extraArguments);
    }

    private LocalCluster(Path dir, int size, boolean cuttable, String... extraArguments) throws IOException {
        List<Integer> allPorts = freePorts(cuttable ? 2 * size : size);
        List<Integer> ports = allPorts.subList(0, size);
        String peers = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> "n" + (i + 1) + "=127.0.0.1:" + ports.get(i)).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            String id = "n" + (i + 1);
            List<String> arguments = new ArrayList<>(List.of("--id", id, "--peers", peers,
                    "--data-dir", dir.resolve(id).toString()));
            arguments.addAll(List.of(extraArguments));
            nodes.add(cuttable
                    ? new TestNode(id, ports.get(i), arguments, dir.resolve(id + ".log"), allPorts.get(size + i))
                    : new TestNode(id, ports.get(i), arguments, dir.resolve(id + ".log")));
        }
    }

    /** Starts every node (one after another; each is ready once it listens). */
    LocalCluster start() throws IOException {
        for (TestNode node : nodes) {
            node.launch();
        }
        for (TestNode node : nodes) {
            node.awaitReady();
        }
        return this;
    }

    String addresses() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    WalrusClient client() throws IOException {
        return client(Duration.ofSeconds(60));
    }

    WalrusClient client(Duration timeout) throws IOException {
        WalrusClient client = WalrusClient.builder().addresses(addresses()).timeout(timeout).connect();
        clients.add(client);
        return client;
    }

    TestNode node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    /** The node that leads now, as the live nodes report it (asking each in turn). */
    Optional<TestNode> leader(WalrusClient client) {
        for (RaftPeer peer : client.peers()) {
            TestNode node = node(peer.getId().toString());
            if (!node.isAlive()) {
                continue;
            }
            try {
                GroupInfoReply info = client.groupInfo(peer);
                if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                    return Optional.of(node);
                }
            } catch (IOException e) {
                // Not answering: look at the next.
            }
        }
        return Optional.empty();
    }

    /**
     * Cuts {@code node} off from every other node, both ways: it holds their Raft requests and they
     * hold its (each running node is told; a node started later is not). Clients still reach it.
     */
    void isolate(TestNode node) {
        List<String> others = nodes.stream().filter(n -> n != node).map(n -> n.id).toList();
        for (TestNode other : nodes) {
            if (other.isAlive()) {
                other.cutOffFrom(other == node ? others : List.of(node.id));
            }
        }
    }

    /** Ends every cut on the running nodes; per node, the Raft requests it held meanwhile. */
    Map<String, Long> heal() {
        Map<String, Long> held = new LinkedHashMap<>();
        for (TestNode node : nodes) {
            if (node.isAlive()) {
                held.put(node.id, node.heal());
            }
        }
        return held;
    }

    /** Every node's output, for a failure message. */
    String outputs() {
        StringBuilder all = new StringBuilder();
        for (TestNode node : nodes) {
            String output = node.output();
            all.append("==== ").append(node).append('\n')
                    .append(output.length() > 6000 ? "..." + output.substring(output.length() - 6000) : output);
        }
        return all.toString();
    }

    @Override
    public void close() {
        for (WalrusClient client : clients) {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                // The nodes go next either way.
            }
        }
        nodes.forEach(TestNode::kill);
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
