package io.walrus.server;

import io.walrus.cli.WalrusCli;
import io.walrus.client.ClusterSettings;
import io.walrus.client.GroupLayout;
import io.walrus.client.TlsCredentials;
import io.walrus.client.TlsFiles;
import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;
import io.walrus.client.wire.Command;
import io.walrus.client.wire.CommandCodec;
import io.walrus.client.wire.Reply;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three node processes with mutual TLS, their certificates from a CA made for the test: a client
 * with a certificate of that CA writes and reads, and every node commits over TLS; a client in
 * plain text, one that presents no certificate and one whose certificate another CA signed are
 * refused with an IOException and write nothing. One cluster for the class: each start costs seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTlsTest {
    private static final Duration REFUSED_TIMEOUT = Duration.ofSeconds(3);

    private TestAuthority authority;
    private TestAuthority impostor;
    private TlsFiles trustedClient;
    private LocalCluster cluster;

    @BeforeAll
    void startTlsCluster(@TempDir Path dir) throws IOException {
        authority = TestAuthority.create(dir.resolve("pki"), "walrus-test");
        // Another CA of the same name: a client's key manager offers only certificates of the CAs the
        // node names in its handshake, so it presents this one's, and the nodes' check of its
        // signature is what refuses it.
        impostor = TestAuthority.create(dir.resolve("impostor-pki"), "walrus-test");
        trustedClient = authority.issueClient("app");
        Map<String, TlsFiles> nodes = new HashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            nodes.put(id, authority.issueNode(id));
        }
        cluster = new LocalCluster(dir, 3, id -> TlsOptions.of(nodes.get(id)));
        try {
            cluster.start();
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClientWithACertificateOfTheTrustedAuthorityWritesAndReadsAndEveryNodeCommitsOverTls() throws Exception {
        try (WalrusClient client = client(trustedClient, cluster.addresses(), Duration.ofSeconds(60))) {
            client.appendForTopic("orders", bytes("one"));
            client.batchAppendForTopic("orders", List.of(bytes("two"), bytes("three")));
            assertEquals(List.of("one", "two", "three"), strings(client.scan("orders", 0, 1 << 20, 10)));
            assertEquals("one", new String(client.readNext("orders", true).orElseThrow().data(), StandardCharsets.UTF_8));

            WriteMark written = client.lastWrites();
            client.awaitCommittedOnEveryNode(written);
            int group = client.layout().groupOf("orders");
            for (RaftPeer peer : client.peers()) {
                assertEquals(3, entries(client.nodeState(peer, group, written.index(group)), "orders"),
                        "entries on " + peer.getId());
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
        }
    }

    @Test
    void theWalrusToolWithTheTlsOptionsAppendsAndSeesEveryNode() {
        List<String> tls = TlsOptions.of(trustedClient);
        Tool append = tool("tool-one\ntool-two\n", tls, "append", "--cluster", cluster.addresses(), "--topic", "tool");
        assertEquals(0, append.exit, append.toString());
        assertTrue(append.out.startsWith("appended 2 entries to 'tool'"), append.toString());

        Tool status = tool("", tls, "cluster", "status", "--cluster", cluster.addresses(), "--timeout", "30s");
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.out.contains("3 of 3 nodes answered"), status.toString());
        assertTrue(status.out.contains("tool=2"), status.toString());

        Tool plain = tool("", List.of(), "cluster", "status", "--cluster", cluster.addresses(), "--timeout", "3s");
        assertEquals(2, plain.exit, plain.toString());
        assertTrue(plain.err.contains("cannot reach the cluster at " + cluster.addresses()), plain.toString());
    }

    @Test
    void clientsWithoutACertificateOfTheTrustedAuthorityAreRefusedAndWriteNothing() throws Exception {
        // Discovery (an admin call) is refused; so is a write sent straight to the topic's group by a
        // Ratis client with the same transport settings, which is what shows the node refuses writes too.
        IOException plainDiscovery = assertThrows(IOException.class,
                () -> WalrusClient.builder().addresses(cluster.addresses()).timeout(REFUSED_TIMEOUT).connect());
        assertTrue(plainDiscovery.getMessage().contains("answered; tried"), plainDiscovery.getMessage());
        try (RaftClient plain = rawClient(new Parameters())) {
            assertThrows(IOException.class, () -> plain.io().send(append("plain text")));
        }

        // Signed by another CA, trusting the nodes' CA: the nodes refuse its certificate, not it theirs.
        TlsFiles impostorClient = impostor.issueClient("intruder");
        TlsFiles signedByAnother = new TlsFiles(impostorClient.certificateChain(), impostorClient.privateKey(),
                authority.certificateFile);
        assertThrows(IOException.class, () -> client(signedByAnother, cluster.addresses(), REFUSED_TIMEOUT));
        try (RaftClient intruder = rawClient(TlsCredentials.load(signedByAnother).raftParameters())) {
            assertThrows(IOException.class, () -> intruder.io().send(append("another CA")));
        }

        // TLS that trusts the nodes but presents no certificate: what mutual TLS refuses.
        try (RaftClient anonymous = rawClient(anonymousTls())) {
            assertThrows(IOException.class, () -> anonymous.io().send(append("no certificate")));
        }

        try (WalrusClient client = client(trustedClient, cluster.addresses(), Duration.ofSeconds(60))) {
            client.appendForTopic("barrier", bytes("after the refused clients"));
            WriteMark written = client.lastWrites();
            assertEquals(0, client.committedEntries("refused"));
            int group = client.layout().groupOf("refused");
            for (RaftPeer peer : client.peers()) {
                assertEquals(0, entries(client.nodeState(peer, group, written.index(group)), "refused"),
                        "entries on " + peer.getId());
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
        }
    }

    private static WalrusClient client(TlsFiles tls, String addresses, Duration timeout) throws IOException {
        return WalrusClient.builder().addresses(addresses).timeout(timeout).tls(tls).connect();
    }

    /** TLS that trusts the nodes' CA and has no certificate of its own. */
    private Parameters anonymousTls() throws Exception {
        List<X509Certificate> trusted;
        try (InputStream in = Files.newInputStream(authority.certificateFile)) {
            trusted = List.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Parameters parameters = new Parameters();
        GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(null, null, trusted, false));
        return parameters;
    }

    /** The append of one entry to topic "refused", as the client would send it. */
    private static Message append(String text) {
        return Message.valueOf(ByteString.copyFrom(CommandCodec.encode(new Command.Append("refused", bytes(text)))));
    }

    /**
     * A Ratis client of the Raft group that holds topic "refused" (the cluster's default three groups)
     * with {@code parameters} for its transport; a few tries.
     */
    private RaftClient rawClient(Parameters parameters) {
        GroupLayout layout = new GroupLayout(ClusterSettings.DEFAULT_CLUSTER, cluster.nodes.size());
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        ClusterSettings.applyTransportLimits(properties);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        List<RaftPeer> peers = cluster.nodes.stream()
                .map(n -> RaftPeer.newBuilder().setId(n.id).setAddress("127.0.0.1:" + n.port).build()).toList();
        return RaftClient.newBuilder().setProperties(properties).setParameters(parameters)
                .setRaftGroup(RaftGroup.valueOf(layout.id(layout.groupOf("refused")), peers))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(5,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    private static long entries(Reply.NodeState state, String topic) {
        return state.topics().stream().filter(t -> t.topic().equals(topic)).mapToLong(Reply.TopicState::entries)
                .findFirst().orElse(0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(Reply.Entries entries) {
        return entries.payloads().stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }

    private record Tool(int exit, String out, String err) {
    }

    /** {@code walrus ARGS TLS-OPTIONS} in this JVM, {@code input} as its standard input. */
    private static Tool tool(String input, List<String> tlsOptions, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(tlsOptions);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WalrusCli.run(all.toArray(String[]::new), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Tool(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
