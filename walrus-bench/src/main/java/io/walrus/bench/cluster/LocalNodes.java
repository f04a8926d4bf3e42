package io.walrus.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three {@code walrus-server} nodes for a benchmark: child JVMs started from this jar (which holds the
 * server), on loopback ports the kernel picked, with data under a directory the caller owns.
 * {@link #close()} stops them all. {@link #bytesWritten()} sums what the kernel says the nodes
 * wrote to storage ({@code /proc/<pid>/io}'s {@code write_bytes}).
 */
final class LocalNodes implements AutoCloseable {
    private static final String SERVER_MAIN = "io.walrus.server.WalrusServerMain";

    private final List<Process> processes = new ArrayList<>();
    private final String addresses;

    private LocalNodes(String addresses) {
        this.addresses = addresses;
    }

    static LocalNodes start(Path directory, int count) throws IOException {
        List<Integer> ports = freePorts(count);
        String peers = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "n" + (i + 1) + "=127.0.0.1:" + ports.get(i)).collect(Collectors.joining(","));
        LocalNodes nodes = new LocalNodes(ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        String jar = Path.of(LocalNodes.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        List<CompletableFuture<Boolean>> ready = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                String id = "n" + (i + 1);
                Path log = directory.resolve(id + ".log");
                ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-cp", jar, SERVER_MAIN, "--id", id, "--peers", peers,
                        "--data-dir", directory.resolve(id).toString()).redirectErrorStream(true);
                builder.environment().put("WALRUS_QUIET", "1");
                Process process = builder.start();
                nodes.processes.add(process);
                ready.add(watch(process, log));
            }
            for (int i = 0; i < count; i++) {
                if (!ready.get(i).get(120, TimeUnit.SECONDS)) {
                    throw new IOException("node n" + (i + 1) + " exited before it was ready; see "
                            + directory.resolve("n" + (i + 1) + ".log"));
                }
            }
        } catch (Exception e) {
            nodes.close();
            throw e instanceof IOException io ? io : new IOException("starting the nodes failed: " + e, e);
        }
        return nodes;
    }

    private static CompletableFuture<Boolean> watch(Process process, Path log) {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.contains(" ready on ")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            } finally {
                ready.complete(false);
            }
        }, "node-output");
        drain.setDaemon(true);
        drain.start();
        return ready;
    }

    String addresses() {
        return addresses;
    }

    /** Bytes the nodes have caused to be written to storage so far, summed; -1 where the kernel does not say. */
    long bytesWritten() {
        long total = 0;
        for (Process process : processes) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/io"))) {
                    if (line.startsWith("write_bytes:")) {
                        total += Long.parseLong(line.substring("write_bytes:".length()).strip());
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return total;
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
