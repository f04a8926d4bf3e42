package io.walrus.server;

import io.walrus.client.WalrusClient;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroupId;
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
    private final Path dir;
    private final java.util.function.Function<String, List<String>> argumentsOf;

    LocalCluster(Path dir, int size, String... extraArguments) throws IOException {
        this(dir, size, false, id -> List.of(extraArguments));
    }

    /** Each node with its own extra arguments, {@code argumentsOf} its id ({@code n1}, {@code n2}, ...). */
    LocalCluster(Path dir, int size, java.util.function.Function<String, List<String>> argumentsOf) throws IOException {
        this(dir, size, false, argumentsOf);
    }

    /** A cluster whose nodes can be cut off from each other ({@link #isolate}, {@link #heal}). */
    static LocalCluster cuttable(Path dir, int size, String... extraArguments) throws IOException {
        return new LocalCluster(dir, size, true, id -> List.of(extraArguments));
    }

    private LocalCluster(Path dir, int size, boolean cuttable,
                         java.util.function.Function<String, List<String>> argumentsOf) throws IOException {
        this.dir = dir;
        this.argumentsOf = argumentsOf;
        List<Integer> allPorts = freePorts(cuttable ? 2 * size : size);
        List<Integer> ports = allPorts.subList(0, size);
        String peers = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> "n" + (i + 1) + "=127.0.0.1:" + ports.get(i)).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            nodes.add(node("n" + (i + 1), ports.get(i), peers, cuttable ? allPorts.get(size + i) : NOT_CUTTABLE));
        }
    }

    private static final int NOT_CUTTABLE = -1;

    /** A node of this cluster; {@code controlPort} its cut control's port, or {@link #NOT_CUTTABLE}. */
    private TestNode node(String id, int port, String peers, int controlPort, String... more) {
        List<String> arguments = new ArrayList<>(List.of("--id", id, "--peers", peers,
                "--data-dir", dir.resolve(id).toString()));
        arguments.addAll(argumentsOf.apply(id));
        arguments.addAll(List.of(more));
        return controlPort == NOT_CUTTABLE ? new TestNode(id, port, arguments, dir.resolve(id + ".log"))
                : new TestNode(id, port, arguments, dir.resolve(id + ".log"), controlPort);
    }

    /**
     * Starts one more node, {@code walrus-server --join} on a new port and directory, with the nodes
     * so far and itself as peers: it waits to be added ({@link WalrusClient#addNode}).
     */
    TestNode join(String id) throws IOException {
        int port = freePorts(1).getFirst();
        String peers = nodes.stream().map(n -> n.id + "=127.0.0.1:" + n.port).collect(Collectors.joining(","))
                + "," + id + "=127.0.0.1:" + port;
        TestNode joining = node(id, port, peers, NOT_CUTTABLE, "--join");
        nodes.add(joining);
        joining.start();
        return joining;
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

    /** The node that leads the Raft group of {@code topic}, once one does (see {@link #leader(WalrusClient, int)}). */
    Optional<TestNode> leader(WalrusClient client, String topic) throws InterruptedException {
        return leader(client, client.layout().groupOf(topic));
    }

    /**
     * The node that leads Raft group {@code group}, as the live nodes report it (asking each in turn),
     * once one does: an election or a hand-over to the group's preferred leader may be under way when
     * asked. Empty if none leads within {@link #LEADER_WAIT_SECONDS}.
     */
    Optional<TestNode> leader(WalrusClient client, int group) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(LEADER_WAIT_SECONDS);
        while (true) {
            Optional<TestNode> leader = leaderNow(client, group);
            if (leader.isPresent() || System.nanoTime() - deadline > 0) {
                return leader;
            }
            Thread.sleep(50);
        }
    }

    private static final long LEADER_WAIT_SECONDS = 60;

    private Optional<TestNode> leaderNow(WalrusClient client, int group) {
        for (RaftPeer peer : client.peers()) {
            TestNode node = node(peer.getId().toString());
            if (!node.isAlive()) {
                continue;
            }
            try {
                GroupInfoReply info = client.groupInfo(peer, group);
                if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                    return Optional.of(node);
                }
            } catch (IOException e) {
                // Not answering: look at the next.
            }
        }
        return Optional.empty();
    }

    /** {@code node}'s directory of the Raft group that holds {@code topic}: its log under current/, its state under sm/. */
    Path groupDirectory(TestNode node, WalrusClient client, String topic) {
        RaftGroupId group = client.layout().id(client.layout().groupOf(topic));
        return dataDirectory(node).resolve("raft").resolve(group.getUuid().toString());
    }

    Path dataDirectory(TestNode node) {
        return dir.resolve(node.id);
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

    /** The end of each node's output a failure message carries: room for its elections (TestNode logs them). */
    private static final int OUTPUT_TAIL_CHARS = 40_000;

    /** Every node's output, for a failure message. */
    String outputs() {
        StringBuilder all = new StringBuilder();
        for (TestNode node : nodes) {
            String output = node.output();
            all.append("==== ").append(node).append('\n')
                    .append(output.length() > OUTPUT_TAIL_CHARS ? "..." + output.substring(output.length() - OUTPUT_TAIL_CHARS) : output);
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
