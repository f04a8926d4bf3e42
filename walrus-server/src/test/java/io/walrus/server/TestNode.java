package io.walrus.server;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
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

    /** No {@link #cutControlPort}: the node runs the plain server jar and cannot be cut off. */
    private static final int NOT_CUTTABLE = -1;

    final String id;
    final int port;
    private final int cutControlPort;
    private final NodeProcess process;

    TestNode(String id, int port, List<String> arguments, Path log) {
        this(id, port, arguments, log, NOT_CUTTABLE);
    }

    /**
     * With a {@code cutControlPort}, the node runs {@link CuttableNodeMain} (the server jar with this
     * module's test classes beside it) and {@link #cutOffFrom} and {@link #heal} work.
     */
    TestNode(String id, int port, List<String> arguments, Path log, int cutControlPort) {
        this.id = id;
        this.port = port;
        this.cutControlPort = cutControlPort;
        List<String> command = new ArrayList<>();
        command.add(NodeProcess.currentJava());
        // Quick to start: three of these share two cores with the test. The heap is for a node of three
        // Raft groups, each with a log cache, append requests to followers catching up and a retry
        // cache (384 MB ran out in the fault campaign once each node led a group; bin/walrus-server: 1 GB).
        command.addAll(List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(NodeProcess.jvmOptions());
        // Ratis's elections, hand-overs and each group's start (with the configuration it starts from) at
        // INFO, the rest at WARN: a few hundred lines a test, and what a failure about who leads needs
        // (a restarted node's group that shut itself down in an election once failed ClusterGroupsTest
        // under the whole suite's load, and its WARN lines could not say why). The state machine's
        // INFO lines too: its loads, snapshots and the dead payloads it finds, what a failure about
        // entries that differ between nodes needs.
        for (String logger : List.of("org.apache.ratis.server.impl.LeaderElection",
                "org.apache.ratis.server.impl.TransferLeadership", "org.apache.ratis.server.RaftServer$Division",
                WalrusStateMachine.class.getName())) {
            command.add("-Dorg.slf4j.simpleLogger.log." + logger + "=info");
        }
        if (cutControlPort == NOT_CUTTABLE) {
            command.addAll(List.of("-jar", serverJar().toString()));
        } else {
            command.addAll(List.of("-D" + CuttableNodeMain.CONTROL_PORT + "=" + cutControlPort,
                    "-cp", serverJar() + File.pathSeparator + testClasses(), CuttableNodeMain.class.getName()));
        }
        command.addAll(arguments);
        this.process = new NodeProcess(command, Map.of("WALRUS_QUIET", "1", "WALRUS_LOG_LEVEL", "warn"), log);
    }

    private static Path testClasses() {
        try {
            return Path.of(CuttableNodeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate this module's test classes", e);
        }
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

    /** SIGTERM (a clean stop), and waits until the process is gone; its exit status. */
    int stop() {
        return process.stop();
    }

    /**
     * Holds every Raft request this node receives from {@code peers} from now on (replacing any earlier
     * cut), until {@link #heal}; returns once that is in effect. The node must be running.
     */
    void cutOffFrom(List<String> peers) {
        CutControl.cut(requireCuttable(), peers);
    }

    /** Ends this node's cut; the Raft requests it held meanwhile. The node must be running. */
    long heal() {
        return CutControl.heal(requireCuttable());
    }

    private int requireCuttable() {
        if (cutControlPort == NOT_CUTTABLE) {
            throw new IllegalStateException(id + " was not started cuttable (LocalCluster.cuttable)");
        }
        return cutControlPort;
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
