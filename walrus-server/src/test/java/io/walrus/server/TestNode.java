package io.walrus.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node of a test cluster: a {@link NodeProcess} of the shaded jar the build just made, with the
 * id and port the test knows it by.
 */
final class TestNode {
    private static final long READY_TIMEOUT_SECONDS = 120;

    final String id;
    final int port;
    private final NodeProcess process;

    TestNode(String id, int port, List<String> arguments, Path log) {
        this.id = id;
        this.port = port;
        List<String> command = new ArrayList<>();
        command.add(NodeProcess.currentJava());
        // Small and quick to start: three of these share two cores with the test.
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(NodeProcess.jvmOptions());
        command.addAll(List.of("-jar", serverJar().toString()));
        command.addAll(arguments);
        this.process = new NodeProcess(command, Map.of("WALRUS_QUIET", "1", "WALRUS_LOG_LEVEL", "warn"), log);
    }

    static Path serverJar() {
        String jar = System.getProperty("walrus.server.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("walrus.server.jar is not set or missing (" + jar
                    + "): run the cluster tests through Maven's verify, which packages the jar first");
        }
        return Path.of(jar);
    }

    /** Starts the node and waits for its ready line; fails with the node's output if it exits first. */
    void start() throws IOException {
        launch();
        awaitReady();
    }

    void launch() throws IOException {
        process.launch();
    }

    void awaitReady() throws IOException {
        process.awaitReady(READY_TIMEOUT_SECONDS);
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.kill();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code http://127.0.0.1:port}, the node's metrics endpoint (it must run with {@code --metrics-port}). */
    String metricsAddress() {
        return process.metricsAddress().orElseThrow(() -> new IllegalStateException(id
                + " printed no metrics address in its ready line (started without --metrics-port?)"));
    }

    String output() {
        return process.output();
    }

    @Override
    public String toString() {
        return id + "@127.0.0.1:" + port;
    }
}
