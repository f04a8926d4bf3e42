package io.walrus.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the cluster options do without a cluster: the choice between DIR and --cluster, refused
 * values, and a cluster where nothing listens. Real nodes are started by walrus-server's tests.
 */
class ClusterOptionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"append", "dump", "tail"})
    void directoryAndClusterTogetherAreAUsageError(String command) {
        Cli.Run run = Cli.run(Cli.args(dir, command, "--topic", "t", "--cluster", "127.0.0.1:6001"));
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("give DIR or --cluster, not both (DIR " + dir + ", --cluster 127.0.0.1:6001)"),
                run.toString());
        assertTrue(run.err().contains("Usage: walrus " + command), run.toString());
        assertEquals("", run.out(), run.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"append", "dump", "tail"})
    void neitherDirectoryNorClusterIsAUsageError(String command) {
        assumeTrue(System.getenv("WALRUS_DATA_DIR") == null, "$WALRUS_DATA_DIR is set, and counts as a directory given");
        Cli.Run run = Cli.run(command, "--topic", "t");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("give a data directory (DIR, or set $WALRUS_DATA_DIR) or a cluster "
                + "(--cluster HOST:PORT[,HOST:PORT...])"), run.toString());
        assertTrue(run.err().contains("Usage: walrus " + command), run.toString());
    }

    @Test
    void optionsOfTheOtherKindAreRefused() {
        Cli.Run key = Cli.run("dump", "--cluster", "127.0.0.1:6001", "--key", "tenant", "--topic", "t");
        assertEquals(2, key.exit(), key.toString());
        assertTrue(key.err().startsWith("--key names an instance in a data directory; it does not go with --cluster"),
                key.toString());

        Cli.Run timeout = Cli.run(Cli.args(dir, "dump", "--topic", "t", "--timeout", "3s"));
        assertEquals(2, timeout.exit(), timeout.toString());
        assertTrue(timeout.err().startsWith("--timeout goes with --cluster, which is not given"), timeout.toString());
    }

    @Test
    void malformedAddressesAndTimeoutsAreUsageErrors() {
        Cli.Run noPort = Cli.run("dump", "--cluster", "127.0.0.1", "--topic", "t");
        assertEquals(2, noPort.exit(), noPort.toString());
        assertTrue(noPort.err().startsWith("Invalid value for option '--cluster': '127.0.0.1' is not host:port"),
                noPort.toString());

        Cli.Run badPort = Cli.run("cluster", "status", "--cluster", "127.0.0.1:6001,127.0.0.1:70000");
        assertEquals(2, badPort.exit(), badPort.toString());
        assertTrue(badPort.err().contains("port 70000 in '127.0.0.1:70000' is not between 1 and 65535"), badPort.toString());

        for (String timeout : List.of("soon", "0s", "-1s")) {
            Cli.Run run = Cli.run("dump", "--cluster", "127.0.0.1:6001", "--topic", "t", "--timeout", timeout);
            assertEquals(2, run.exit(), run.toString());
            assertTrue(run.err().startsWith("Invalid value for option '--timeout': '" + timeout + "' is not"),
                    run.toString());
        }
    }

    @Test
    void tlsOptionsWithoutTheClusterOrWithoutEachOtherAreRefused() {
        Cli.Run alone = Cli.run(Cli.args(dir, "dump", "--topic", "t", "--tls-cert", "node.crt"));
        assertEquals(2, alone.exit(), alone.toString());
        assertTrue(alone.err().startsWith("--tls-cert goes with --cluster, which is not given"), alone.toString());

        Cli.Run partial = Cli.run("cluster", "status", "--cluster", "127.0.0.1:6001", "--tls-cert", "app.crt",
                "--tls-key", "app.key");
        assertEquals(2, partial.exit(), partial.toString());
        assertEquals("walrus cluster status: --tls-cert, --tls-key and --tls-trust go together (mutual TLS needs a "
                + "certificate, its key and the trusted CA certificates): --tls-trust is missing\n", partial.err(),
                partial.toString());
        assertEquals("", partial.out(), partial.toString());
    }

    /** A TLS file that is not there is named as such, before any node is asked (nothing listens here). */
    @Test
    void aMissingTlsFileIsNamedBeforeAnyNodeIsAsked() {
        Path missing = dir.resolve("app.crt");
        Cli.Run run = Cli.run("x\n".getBytes(UTF_8), "append", "--cluster", "127.0.0.1:6001", "--topic", "t",
                "--tls-cert", missing.toString(), "--tls-key", dir.resolve("app.key").toString(),
                "--tls-trust", dir.resolve("ca.crt").toString());
        assertEquals(2, run.exit(), run.toString());
        assertEquals("walrus append: TLS certificate file " + missing + " does not exist\n", run.err(), run.toString());
    }

    @Test
    void clusterStatusNeedsTheCluster() {
        Cli.Run run = Cli.run("cluster", "status");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("Missing required option: '--cluster=HOST:PORT[,HOST:PORT...]'"), run.toString());
        assertTrue(run.err().contains("Usage: walrus cluster status"), run.toString());

        Cli.Run group = Cli.run("cluster");
        assertEquals(2, group.exit(), group.toString());
        assertTrue(group.err().contains("Usage: walrus cluster"), group.toString());
    }

    /**
     * Nothing listens at either address (ports that were free a moment ago): every command says so
     * on one line naming both, and exits 2, before its timeout has passed.
     */
    private static final Duration HANG_BOUND = Duration.ofSeconds(60);

    @Test
    void anUnreachableClusterExitsTwoNamingEveryAddress() throws IOException {
        String addresses = freePort() + "," + freePort();
        List<String[]> commands = List.of(
                new String[] {"append", "--topic", "t"},
                new String[] {"dump", "--topic", "t"},
                new String[] {"tail", "--topic", "t"},
                new String[] {"tail", "--topic", "t", "-f"},
                new String[] {"cluster", "status"});
        for (String[] command : commands) {
            String[] args = concat(command, "--cluster", addresses, "--timeout", "3s");
            long start = System.nanoTime();
            Cli.Run run = Cli.run("x\n".getBytes(UTF_8), args);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String name = "walrus " + String.join(" ", command);
            assertEquals(2, run.exit(), name + ": " + run);
            assertEquals("", run.out(), name + ": " + run);
            String prefix = (command[0].equals("cluster") ? "walrus cluster status" : "walrus " + command[0])
                    + ": cannot reach the cluster at " + addresses + ": ";
            assertTrue(run.err().startsWith(prefix), name + ": " + run);
            for (String address : addresses.split(",")) {
                assertTrue(run.err().contains("tried " + address) || run.err().contains("; " + address + ": "),
                        name + ": " + address + " not named: " + run);
            }
            assertEquals(1, run.err().lines().count(), name + ": " + run);
            // A bound on hanging, not a measurement: refused connections end the call, it does not wait
            // out its timeout over and over (how soon it ends depends on the machine's load).
            assertTrue(took.compareTo(HANG_BOUND) < 0, name + " did not end within " + HANG_BOUND + ": took " + took);
        }
    }

    /** The public entry point walrus-server's tests run the tool through: no exit, the status returned. */
    @Test
    void theToolRunsInProcessThroughItsPublicEntryPoint() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int appended = WalrusCli.run(new String[] {"append", dir.toString(), "--topic", "t"},
                new ByteArrayInputStream("one\ntwo\n".getBytes(UTF_8)), new PrintStream(out, false, UTF_8),
                new PrintStream(err, false, UTF_8));
        assertEquals(0, appended, err.toString(UTF_8));
        assertEquals("appended 2 entries to 't' (entries 0 to 1)\n", out.toString(UTF_8));

        out.reset();
        int dumped = WalrusCli.run(new String[] {"dump", dir.toString(), "--topic", "t"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, false, UTF_8), new PrintStream(err, false, UTF_8));
        assertEquals(0, dumped, err.toString(UTF_8));
        assertEquals("0  one\n1  two\n", out.toString(UTF_8));

        int usage = WalrusCli.run(new String[] {"dump", dir.toString(), "--topic", "t", "--cluster", "127.0.0.1:6001"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, false, UTF_8), new PrintStream(err, false, UTF_8));
        assertEquals(2, usage);
        assertTrue(err.toString(UTF_8).startsWith("give DIR or --cluster, not both"), err.toString(UTF_8));
    }

    @Test
    void clusterCommandsHaveHelpWithExamples() {
        for (String command : List.of("append", "dump", "tail")) {
            Cli.Run run = Cli.run(command, "--help");
            assertEquals(0, run.exit(), run.toString());
            assertTrue(run.out().contains("--cluster=HOST:PORT[,HOST:PORT...]"), run.toString());
            assertTrue(run.out().contains("walrus " + command + " --cluster 127.0.0.1:6001,127.0.0.1:6002"), run.toString());
        }
        Cli.Run status = Cli.run("cluster", "help", "status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().startsWith("Usage: walrus cluster status"), status.toString());
        assertTrue(status.out().contains("\nExamples:\n  walrus cluster status --cluster 127.0.0.1:6001"), status.toString());
        assertTrue(Cli.run("--help").out().contains("cluster "), "the top-level help lists cluster");
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
