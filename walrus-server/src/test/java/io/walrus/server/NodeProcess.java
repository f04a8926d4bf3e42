package io.walrus.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code walrus-server} node as a child JVM, started from the shaded jar the build just made.
 * Its output goes to a log file beside its data; {@link #start()} returns once it printed its
 * {@code ready} line. {@link #kill()} is SIGKILL.
 */
final class NodeProcess {
    private static final long READY_TIMEOUT_SECONDS = 120;

    final String id;
    final int port;
    private final List<String> arguments;
    private final Path log;
    private Process process;

    NodeProcess(String id, int port, List<String> arguments, Path log) {
        this.id = id;
        this.port = port;
        this.arguments = List.copyOf(arguments);
        this.log = log;
    }

    static Path serverJar() {
        String jar = System.getProperty("walrus.server.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("walrus.server.jar is not set or missing (" + jar
                    + "): run the cluster tests through Maven's verify, which packages the jar first");
        }
        return Path.of(jar);
    }

    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Small and quick to start: three of these share two cores with the test.
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-jar", serverJar().toString()));
        return command;
    }

    private CompletableFuture<Boolean> ready;

    /** Starts the node and waits for its ready line; fails with the node's output if it exits first. */
    void start() throws IOException {
        launch();
        awaitReady();
    }

    /** Starts the process; {@link #awaitReady()} waits for it to serve. */
    void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + id + " is running");
        }
        List<String> command = javaCommand();
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WALRUS_QUIET", "1");
        builder.environment().put("WALRUS_LOG_LEVEL", "warn");
        Files.writeString(log, "---- start " + String.join(" ", arguments) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = builder.start();
        CompletableFuture<Boolean> readyLine = new CompletableFuture<>();
        ready = readyLine;
        Process started = process;
        Thread drain = new Thread(() -> drain(started, readyLine), "node-" + id + "-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Waits for the ready line of the process {@link #launch()} started. */
    void awaitReady() throws IOException {
        boolean isReady;
        try {
            isReady = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill();
            throw new IOException("node " + id + " did not print ready within " + READY_TIMEOUT_SECONDS + " s; "
                    + "its output:\n" + output(), e);
        }
        if (!isReady) {
            throw new IOException("node " + id + " exited before it was ready; its output:\n" + output());
        }
    }

    private void drain(Process started, CompletableFuture<Boolean> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                if (line.contains(" ready on ")) {
                    ready.complete(true);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } finally {
            ready.complete(false);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.toHandle().destroyForcibly();
            waitFor(running);
        }
    }

    /** SIGTERM (a clean stop), and waits until the process is gone; its exit status. */
    int stop() {
        Process running = process;
        if (running == null) {
            return 0;
        }
        if (running.isAlive()) {
            running.toHandle().destroy();
        }
        return waitFor(running);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    private static int waitFor(Process running) {
        try {
            if (!running.waitFor(60, TimeUnit.SECONDS)) {
                running.toHandle().destroyForcibly();
                running.waitFor();
            }
            return running.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.toHandle().destroyForcibly();
            return -1;
        }
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return id + "@127.0.0.1:" + port;
    }
}
