package io.walrus.server;

import io.walrus.client.WalrusClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the cluster cannot answer, calls fail with an IOException that says so, instead of hanging. */
class ClusterUnavailableTest {
    @TempDir
    Path dir;

    @Test
    void clientWithNoReachableNodeFailsNamingTheAddressesItTried() throws Exception {
        int[] ports = new int[2];
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports[i] = free.getLocalPort();
            }
        }
        String addresses = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        IOException e = assertThrows(IOException.class,
                () -> WalrusClient.builder().addresses(addresses).timeout(Duration.ofSeconds(5)).connect());
        assertTrue(e.getMessage().contains("127.0.0.1:" + ports[0]) && e.getMessage().contains("127.0.0.1:" + ports[1]),
                e.getMessage());
    }

    @Test
    void appendWithTheMajorityDownFailsWithAnIOException() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client(Duration.ofSeconds(5));
            client.appendForTopic("t", new byte[] {1});
            cluster.node("n1").kill();
            cluster.node("n2").kill();
            IOException e = assertThrows(IOException.class, () -> client.appendForTopic("t", new byte[] {2}));
            assertTrue(e.getMessage().contains("an append to 't'"), e.getMessage());
        }
    }
}
