package io.walrus.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second JVM running one of the child mains in this package, on the test class path, so tests can
 * kill a real process with SIGKILL and look at what it left on disk.
 *
 * <p>Only complete lines (ended by '\n') of the child's stdout count: a line the child was writing
 * when it was killed is dropped rather than misread (a half-written {@code ACK t 12} of {@code ACK t 123}).
 * Every wait has a generous timeout that fails the test with the child's stderr; none is used to
 * sequence anything.
 */
public final class ChildJvm implements AutoCloseable {
    /** Long enough for a loaded CI machine; only a hung or broken child ever reaches it. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Exit status of a process killed by SIGKILL, as Process reports it. */
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final String EOF = new String("<end of stdout>");

    private final String name;
    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private boolean stdoutEnded;
    private volatile IOException stdoutFailure;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdoutPump = Thread.ofPlatform().daemon().name(name + "-stdout")
                .start(() -> pumpLines(process.getInputStream()));
        this.stderrPump = Thread.ofPlatform().daemon().name(name + "-stderr")
                .start(() -> pumpBytes(process.getErrorStream()));
    }

    /** Starts {@code mainClass} in a new JVM with the same class path, plus {@code env} in its environment. */
    public static ChildJvm start(Class<?> mainClass, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        String backend = System.getProperty(TestBackend.PROPERTY);
        if (backend != null) {
            command.add("-D" + TestBackend.PROPERTY + "=" + backend);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Hermetic: only what the test passes decides where a child's instance lives.
        builder.environment().remove("WALRUS_DATA_DIR");
        builder.environment().remove("WALRUS_INSTANCE_KEY");
        builder.environment().putAll(env);
        try {
            return new ChildJvm(mainClass.getSimpleName(), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(mainClass, Map.of(), args);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The next complete stdout line, or null once stdout has ended (the child exited or was killed).
     * Fails the test if none comes within {@link #TIMEOUT}.
     */
    public String nextLine() {
        if (stdoutEnded) {
            return null;
        }
        String line;
        try {
            line = stdoutLines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
        if (line == null) {
            fail("no output from " + name + " within " + TIMEOUT.toSeconds() + " s" + diagnostics());
        }
        if (line == EOF) {
            stdoutEnded = true;
            return null;
        }
        seen.add(line);
        return line;
    }

    /** Reads lines until one matches and returns it; fails if stdout ends or the timeout passes first. */
    public String awaitLine(Predicate<String> matching, String description) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = nextLine();
            if (line == null) {
                fail(name + " ended its output before printing " + description + exitDescription() + diagnostics());
            }
            if (matching.test(line)) {
                return line;
            }
        }
        return fail("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + name + " to print "
                + description + diagnostics());
    }

    public String awaitLineStartingWith(String prefix) {
        return awaitLine(line -> line.startsWith(prefix), "a line starting with '" + prefix + "'");
    }

    /**
     * Sends SIGKILL, waits for the process to be gone and its stdout
     * to end, and returns every complete line it had written that was not read yet. Fails if the child
     * had already exited on its own: a crash test must kill a live, working child.
     */
    public List<String> killAndDrain() {
        if (!process.isAlive()) {
            fail(name + " exited on its own before it was killed" + exitDescription() + diagnostics());
        }
        sigkill();
        int status = awaitExitStatus();
        if (status != SIGKILL_EXIT) {
            fail(name + " was not ended by SIGKILL: exit status " + status + diagnostics());
        }
        return drain();
    }

    /** Waits for the child to exit by itself and returns its exit status. */
    public int awaitExit() {
        int status = awaitExitStatus();
        joinPumps();
        return status;
    }

    /** Waits for a normal exit with status 0 and returns the stdout lines not read yet. */
    public List<String> awaitSuccessfulExit() {
        int status = awaitExit();
        if (status != 0) {
            fail(name + " failed with exit status " + status + diagnostics());
        }
        return drain();
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Text for a failure message: the child's recent output and its stderr. */
    public String diagnostics() {
        List<String> recent = seen.subList(Math.max(0, seen.size() - 10), seen.size());
        return "\n--- last stdout lines of " + name + " (pid " + process.pid() + "): " + recent
                + "\n--- stderr of " + name + ":\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            sigkill();
            awaitExitStatus();
        }
    }

    /**
     * SIGKILL through the ProcessHandle, not Process.destroyForcibly(): that one also closes our end
     * of the child's stdout, and the lines still in the pipe (acknowledgements the child printed just
     * before it died) would be lost. ProcessHandle.destroyForcibly() sends SIGKILL and nothing else.
     */
    private void sigkill() {
        process.toHandle().destroyForcibly();
    }

    private List<String> drain() {
        joinPumps();
        if (stdoutFailure != null) {
            throw new AssertionError("reading the stdout of " + name + " failed; lines may be missing", stdoutFailure);
        }
        List<String> rest = new ArrayList<>();
        String line;
        while ((line = nextLine()) != null) {
            rest.add(line);
        }
        return rest;
    }

    private int awaitExitStatus() {
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                sigkill();
                fail(name + " did not exit within " + TIMEOUT.toSeconds() + " s" + diagnostics());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name + " to exit", e);
        }
    }

    private void joinPumps() {
        try {
            if (!stdoutPump.join(TIMEOUT) || !stderrPump.join(TIMEOUT)) {
                fail("the output of " + name + " did not end within " + TIMEOUT.toSeconds() + " s after it exited");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading the output of " + name, e);
        }
    }

    private String exitDescription() {
        return process.isAlive() ? "" : " (exit status " + process.exitValue() + ")";
    }

    private void pumpLines(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        stdoutLines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            // A dead child closes its end cleanly (end of stream): this is our side failing, and lines
            // may be missing, which would make the test's conclusions wrong. drain() reports it.
            stdoutFailure = e;
        } finally {
            stdoutLines.add(EOF); // a trailing line without '\n' was cut by the kill: dropped on purpose
        }
    }

    private void pumpBytes(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (stderr) {
                    stderr.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the child died
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
