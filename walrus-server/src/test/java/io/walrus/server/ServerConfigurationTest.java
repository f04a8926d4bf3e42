package io.walrus.server;

import io.walrus.client.GroupLayout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad options and foreign data directories: {@code walrus-server} says what is wrong, exits with
 * status 2 and writes nothing. Run in this JVM through the same command line as the real entry point;
 * each case fails before a node would start.
 */
class ServerConfigurationTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = WalrusServerMain.commandLine();
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    private Path dataDir() {
        return dir.resolve("n1");
    }

    private static final String PEERS = "n1=127.0.0.1:1,n2=127.0.0.1:2,n3=127.0.0.1:3";

    @Test
    void idMissingFromThePeersIsRefusedAndNothingIsWritten() {
        assertEquals(2, run("--id", "n9", "--peers", PEERS, "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("--id n9 is not among the peers [n1, n2, n3]"), err.toString());
        assertFalse(Files.exists(dataDir()));
    }

    @Test
    void duplicatePeerIdIsRefused() {
        assertEquals(2, run("--id", "n1", "--peers", "n1=127.0.0.1:1,n1=127.0.0.1:2", "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("node id 'n1' is given twice"), err.toString());
        assertFalse(Files.exists(dataDir()));
    }

    @Test
    void duplicatePeerAddressIsRefused() {
        assertEquals(2, run("--id", "n1", "--peers", "n1=127.0.0.1:1,n2=127.0.0.1:1", "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("address 127.0.0.1:1 is given twice"), err.toString());
    }

    @Test
    void peerWithoutIdIsRefused() {
        assertEquals(2, run("--id", "n1", "--peers", "n1=127.0.0.1:1,127.0.0.1:2", "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("peer 127.0.0.1:2 has no id"), err.toString());
    }

    @Test
    void malformedPortIsRefused() {
        assertEquals(2, run("--id", "n1", "--peers", "n1=127.0.0.1:99999", "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("port 99999 in 'n1=127.0.0.1:99999' is not between 1 and 65535"), err.toString());
    }

    @Test
    void portInUseIsRefusedAndNothingIsWritten() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String peers = "n1=127.0.0.1:" + taken.getLocalPort() + ",n2=127.0.0.1:2,n3=127.0.0.1:3";
            assertEquals(2, run("--id", "n1", "--peers", peers, "--data-dir", dataDir().toString()));
            assertTrue(err.toString().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), err.toString());
            assertFalse(Files.exists(dataDir()));
        }
    }

    @Test
    void dataDirectoryOfAnotherClusterIsRefusedAndLeftAsItWas() throws Exception {
        Files.createDirectories(dataDir());
        Files.writeString(dataDir().resolve("NODE"), "cluster=other\nnode=n1\npeers=" + PEERS + "\n");
        List<String> before = listing(dataDir());
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("belongs to cluster 'other', not 'walrus'"), err.toString());
        assertEquals(before, listing(dataDir()));
    }

    @Test
    void dataDirectoryOfAnotherNodeIsRefused() throws Exception {
        Files.createDirectories(dataDir());
        Files.writeString(dataDir().resolve("NODE"), "cluster=walrus\nnode=n2\npeers=" + PEERS + "\n");
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("belongs to node 'n2', not 'n1'"), err.toString());
    }

    @Test
    void nonEmptyDirectoryThatIsNoNodesIsRefused() throws Exception {
        Files.createDirectories(dataDir());
        Files.writeString(dataDir().resolve("precious.txt"), "keep me");
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("is not a walrus-server data directory"), err.toString());
        assertEquals(List.of("precious.txt"), listing(dataDir()));
    }

    @Test
    void metricsPortOutOfRangeIsRefusedAndNothingIsWritten() {
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString(), "--metrics-port", "70000"));
        assertTrue(err.toString().contains("--metrics-port must be between 0 and 65535 (0: any free port), metricsPort=70000"),
                err.toString());
        assertFalse(Files.exists(dataDir()));
    }

    @Test
    void metricsHostWithoutMetricsPortIsRefused() {
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString(), "--metrics-host", "0.0.0.0"));
        assertTrue(err.toString().contains("--metrics-host 0.0.0.0 needs --metrics-port"), err.toString());
        assertFalse(Files.exists(dataDir()));
    }

    @Test
    void metricsPortThatIsTheRaftPortIsRefused() {
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString(), "--metrics-port", "1"));
        assertTrue(err.toString().contains("--metrics-port 1 is this node's Raft port (127.0.0.1:1)"), err.toString());
        assertFalse(Files.exists(dataDir()));
    }

    @Test
    void metricsPortInUseIsRefusedAndNothingIsWritten() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString(),
                    "--metrics-port", "" + taken.getLocalPort()));
            assertTrue(err.toString().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for metrics"),
                    err.toString());
            assertFalse(Files.exists(dataDir()));
        }
    }

    @Test
    void groupsOutsideOneToSixtyFourAreRefusedAndNothingIsWritten() {
        for (String groups : List.of("0", "65", "-1")) {
            assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString(), "--groups", groups));
            assertTrue(err.toString().contains("a cluster has 1 to 64 Raft groups, groups=" + groups), err.toString());
            assertFalse(Files.exists(dataDir()));
        }
    }

    @Test
    void dataDirectoryCreatedWithAnotherNumberOfGroupsIsRefusedAndLeftAsItWas() throws Exception {
        Files.createDirectories(dataDir());
        Files.writeString(dataDir().resolve("NODE"), "cluster=walrus\nnode=n1\npeers=" + PEERS + "\ngroups=3\nlayout=2\n");
        List<String> before = listing(dataDir());
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString(), "--groups", "2"));
        assertTrue(err.toString().contains("was created with 3 Raft group(s), not 2 (--groups)"), err.toString());
        assertEquals(before, listing(dataDir()));
    }

    /** A directory from before clusters had several groups records none: it has one, whatever the default. */
    @Test
    void dataDirectoryHoldingAGroupOfAnotherLayoutIsRefusedAndLeftAsItWas() throws Exception {
        Path foreign = dataDir().resolve("raft").resolve(new GroupLayout("walrus", 3).id(1).getUuid().toString());
        Files.createDirectories(foreign);
        Files.writeString(dataDir().resolve("NODE"), "cluster=walrus\nnode=n1\npeers=" + PEERS + "\nlayout=2\n");
        List<String> before = listing(dataDir());
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("which is not one of the 1 groups of cluster 'walrus': it was written with "
                + "another --cluster or --groups"), err.toString());
        assertEquals(before, listing(dataDir()));
    }

    /** Layout 1 kept payloads in the Raft log; this server cannot apply such a log, so it touches nothing. */
    @Test
    void dataDirectoryOfTheEarlierLayoutIsRefusedAndLeftAsItWas() throws Exception {
        Files.createDirectories(dataDir().resolve("raft"));
        Files.writeString(dataDir().resolve("NODE"), "cluster=walrus\nnode=n1\npeers=" + PEERS + "\ngroups=1\n");
        List<String> before = listing(dataDir());
        assertEquals(2, run("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString()));
        assertTrue(err.toString().contains("was written by an earlier walrus-server, which kept each payload in the Raft log"),
                err.toString());
        assertEquals(before, listing(dataDir()));
    }

    private static List<String> listing(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> !f.equals(directory)).map(f -> directory.relativize(f).toString()).sorted().toList();
        }
    }
}
