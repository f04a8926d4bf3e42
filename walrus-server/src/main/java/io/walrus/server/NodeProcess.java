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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code walrus-server} node as a child process, for whoever starts local nodes itself (the
 * cluster tests, {@code make bench-cluster}): its output appended to a log file, {@link #awaitReady}
 * returning once it printed its ready line, {@link #kill()} as SIGKILL and {@link #stop()} as SIGTERM.
 * One node can be started again after it stopped; each start appends to the same log.
 */
public final class NodeProcess {
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private CompletableFuture<Boolean> ready;
    private volatile String readyLine;

    /**
     * @param command     the whole command line: a JVM, its options, {@code WalrusServerMain} (or a jar
     *                    whose main it is), and the node's options
     * @param environment variables added to this process's for the node
     * @param log         where the node's output goes, appended
     */
    public NodeProcess(List<String> command, Map<String, String> environment, Path log) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /** Starts the process; {@link #awaitReady} waits for it to serve. */
    public synchronized void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the node is running: " + command);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Files.writeString(log, "---- start " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process started = builder.start();
        CompletableFuture<Boolean> readyLine = new CompletableFuture<>();
        Thread drain = new Thread(() -> drain(started, readyLine), "node-output-" + started.pid());
        drain.setDaemon(true);
        drain.start();
        process = started;
        ready = readyLine;
    }

    /**
     * Waits for the ready line of the process {@link #launch()} started.
     *
     * @throws IOException with the node's output, if it exited first or printed nothing in time (it is killed then)
     */
    public void awaitReady(long timeoutSeconds) throws IOException {
        CompletableFuture<Boolean> readyLine;
        synchronized (this) {
            readyLine = ready;
        }
        boolean isReady;
        try {
            isReady = readyLine.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill();
            throw new IOException("the node did not print ready within " + timeoutSeconds + " s; its output:\n"
                    + output(), e);
        }
        if (!isReady) {
            throw new IOException("the node exited before it was ready; its output:\n" + output());
        }
    }

    private void drain(Process started, CompletableFuture<Boolean> readyLine) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                if (line.contains(" ready on ")) {
                    this.readyLine = line;
                    readyLine.complete(true);
                }
            }
        } catch (IOException e) {
            readyLine.completeExceptionally(e);
        } finally {
            readyLine.complete(false);
        }
    }

    /**
     * The metrics endpoint's base address ({@code http://host:port}) from the last ready line, if the
     * node was started with {@code --metrics-port}.
     */
    public java.util.Optional<String> metricsAddress() {
        String line = readyLine;
        if (line == null) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher address = java.util.regex.Pattern.compile("metrics (http://\\S+)/metrics").matcher(line);
        return address.find() ? java.util.Optional.of(address.group(1)) : java.util.Optional.empty();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        Process running = current();
        if (running != null && running.isAlive()) {
            running.toHandle().destroyForcibly();
            waitFor(running);
        }
    }

    /** SIGTERM (a clean stop), and waits until the process is gone; its exit status. */
    public int stop() {
        Process running = current();
        if (running == null) {
            return 0;
        }
        if (running.isAlive()) {
            running.toHandle().destroy();
        }
        return waitFor(running);
    }

    public boolean isAlive() {
        Process running = current();
        return running != null && running.isAlive();
    }

    /** The process id of the running node (or of the last one), -1 before the first start. */
    public long pid() {
        Process running = current();
        return running == null ? -1 : running.pid();
    }

    private synchronized Process current() {
        return process;
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

    /** Everything the node printed, over all its starts. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM running this one, for starting nodes on the same. */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Options a node's JVM wants on JDK 25 (Ratis's shaded Netty: Unsafe and a native library). */
    public static List<String> jvmOptions() {
        // Out of memory, a node exits (its groups elect other leaders; restarted, it recovers from its
        // log) rather than go on leading a group it cannot make progress in (fault campaign).
        return new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+ExitOnOutOfMemoryError"));
    }
}
