package io.walrus.server;

import io.walrus.client.TlsFiles;
import io.walrus.client.WalrusClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS files that are incomplete or wrong: {@code walrus-server} names the file and the problem,
 * exits 2 and writes nothing; {@code WalrusClient.builder().tls(...)} throws before any node is
 * asked. In this JVM, through the server's real command line; no node starts.
 */
class TlsConfigurationTest {
    private static final String PEERS = "n1=127.0.0.1:1,n2=127.0.0.1:2,n3=127.0.0.1:3";

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private TestAuthority authority;
    private TlsFiles node;

    @BeforeEach
    void makeCertificates() throws IOException {
        authority = TestAuthority.create(dir.resolve("pki"), "test");
        node = authority.issueNode("n1");
    }

    private Path dataDir() {
        return dir.resolve("n1");
    }

    /** Runs walrus-server with {@code tlsOptions} after a valid id, peer list and data directory. */
    private int run(String... tlsOptions) {
        List<String> args = new ArrayList<>(List.of("--id", "n1", "--peers", PEERS, "--data-dir", dataDir().toString()));
        args.addAll(List.of(tlsOptions));
        CommandLine line = WalrusServerMain.commandLine();
        line.setErr(new PrintWriter(err, true));
        return line.execute(args.toArray(String[]::new));
    }

    private int run(TlsFiles files) {
        return run("--tls-cert", files.certificateChain().toString(), "--tls-key", files.privateKey().toString(),
                "--tls-trust", files.trustedCertificates().toString());
    }

    private void assertRefusedWith(int status, String message) {
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains(message), err.toString());
        assertFalse(Files.exists(dataDir()), "the data directory was created");
    }

    @Test
    void someButNotAllOfTheThreeTlsOptionsAreRefusedAndNothingIsWritten() {
        assertRefusedWith(run("--tls-cert", node.certificateChain().toString()),
                "--tls-cert, --tls-key and --tls-trust go together");
        assertTrue(err.toString().contains("--tls-key and --tls-trust are missing"), err.toString());

        err.getBuffer().setLength(0);
        assertRefusedWith(run("--tls-cert", node.certificateChain().toString(), "--tls-key", node.privateKey().toString()),
                "--tls-trust is missing");
    }

    @Test
    void aMissingFileIsRefusedByNameAndNothingIsWritten() {
        Path missing = dir.resolve("nowhere.crt");
        assertRefusedWith(run(new TlsFiles(missing, node.privateKey(), node.trustedCertificates())),
                "TLS certificate file " + missing + " does not exist");
    }

    @Test
    void aDirectoryInsteadOfAFileIsRefused() {
        assertRefusedWith(run(new TlsFiles(node.certificateChain(), node.privateKey(), dir)),
                "TLS trust file " + dir + " is a directory");
    }

    @Test
    void filesThatAreNotPemAreRefusedAndNothingIsWritten() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");
        assertRefusedWith(run(new TlsFiles(text, node.privateKey(), node.trustedCertificates())),
                "TLS certificate file " + text + " is not PEM: it has no -----BEGIN CERTIFICATE----- block");

        err.getBuffer().setLength(0);
        assertRefusedWith(run(new TlsFiles(node.certificateChain(), node.privateKey(), text)),
                "TLS trust file " + text + " is not PEM");

        err.getBuffer().setLength(0);
        assertRefusedWith(run(new TlsFiles(node.certificateChain(), text, node.trustedCertificates())),
                "TLS key file " + text + " is not PEM: it has no -----BEGIN PRIVATE KEY----- block");

        err.getBuffer().setLength(0);
        Path der = dir.resolve("n1.der");
        try (var in = Files.newInputStream(node.certificateChain())) {
            Files.write(der, CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
        }
        assertRefusedWith(run(new TlsFiles(der, node.privateKey(), node.trustedCertificates())),
                "TLS certificate file " + der + " is not PEM: it is not text");
    }

    @Test
    void aKeyInTheOlderEcFormIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path sec1 = dir.resolve("sec1.key");
        TestAuthority.writeSec1Key(sec1);
        assertRefusedWith(run(new TlsFiles(node.certificateChain(), sec1, node.trustedCertificates())),
                "TLS key file " + sec1 + " is a 'EC PRIVATE KEY', not PKCS#8; convert it: openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void theKeyOfAnotherCertificateIsRefused() throws Exception {
        TlsFiles other = authority.issueNode("n2");
        assertRefusedWith(run(new TlsFiles(node.certificateChain(), other.privateKey(), node.trustedCertificates())),
                "TLS key file " + other.privateKey() + " is not the key of the certificate in " + node.certificateChain()
                        + " (CN=n1)");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        TlsFiles expired = authority.issue("old", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), true);
        assertRefusedWith(run(expired), "TLS certificate file " + expired.certificateChain()
                + ": the certificate of CN=old expired on");
    }

    @Test
    void theClientBuilderChecksTheFilesBeforeAskingAnyNode() throws Exception {
        Path missing = dir.resolve("nowhere.key");
        IOException noKey = assertThrows(IOException.class, () -> WalrusClient.builder().addresses("127.0.0.1:1")
                .tls(node.certificateChain(), missing, node.trustedCertificates()));
        assertEquals("TLS key file " + missing + " does not exist", noKey.getMessage());

        TlsFiles other = authority.issueClient("someone-else");
        IOException wrongKey = assertThrows(IOException.class, () -> WalrusClient.builder()
                .tls(node.certificateChain(), other.privateKey(), node.trustedCertificates()));
        assertTrue(wrongKey.getMessage().contains("is not the key of the certificate"), wrongKey.getMessage());

        assertThrows(IllegalArgumentException.class, () -> TlsFiles.fromOptions(null, null, node.trustedCertificates()));
        assertTrue(TlsFiles.fromOptions(null, null, null).isEmpty());
    }
}
