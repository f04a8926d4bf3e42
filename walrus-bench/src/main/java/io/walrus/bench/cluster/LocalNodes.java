package io.walrus.bench.cluster;

import io.walrus.server.NodeProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Three {@code walrus-server} nodes for a benchmark: child JVMs started from this jar (which holds the
 * server), on loopback ports the kernel picked, with data under a directory the caller owns.
 * {@link #close()} stops them all.
 */
final class LocalNodes implements AutoCloseable {
    private static final String SERVER_MAIN = "io.walrus.server.WalrusServerMain";
    private static final long READY_TIMEOUT_SECONDS = 120;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final String addresses;

    private LocalNodes(String addresses) {
        this.addresses = addresses;
    }

    /** {@code count} nodes whose topics spread over {@code groups} Raft groups. */
    static LocalNodes start(Path directory, int count, int groups) throws IOException {
        List<Integer> ports = LoopbackPorts.free(count);
        String peers = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "n" + (i + 1) + "=127.0.0.1:" + ports.get(i)).collect(Collectors.joining(","));
        LocalNodes local = new LocalNodes(ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        String jar = Path.of(LocalNodes.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        try {
            for (int i = 0; i < count; i++) {
                String id = "n" + (i + 1);
                List<String> command = new ArrayList<>(List.of(NodeProcess.currentJava(), "-Xmx1g"));
                command.addAll(NodeProcess.jvmOptions());
                command.addAll(List.of("-cp", jar, SERVER_MAIN, "--id", id, "--peers", peers,
                        "--data-dir", directory.resolve(id).toString(), "--groups", Integer.toString(groups)));
                command.addAll(extraNodeArguments());
                NodeProcess node = new NodeProcess(command, Map.of("WALRUS_QUIET", "1"), directory.resolve(id + ".log"));
                local.nodes.add(node);
                node.launch();
            }
            for (NodeProcess node : local.nodes) {
                node.awaitReady(READY_TIMEOUT_SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            local.close();
            throw e;
        }
        return local;
    }

    /** {@code CLUSTER_NODE_ARGS}, as {@code make cluster} takes it: more walrus-server options, split at spaces. */
    private static List<String> extraNodeArguments() {
        String extra = System.getenv("CLUSTER_NODE_ARGS");
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    String addresses() {
        return addresses;
    }

    @Override
    public void close() {
        nodes.forEach(NodeProcess::stop);
    }
}
