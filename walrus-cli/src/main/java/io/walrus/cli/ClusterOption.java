package io.walrus.cli;

import io.walrus.client.ClusterSettings;
import io.walrus.client.NodeAddresses;
import io.walrus.client.TlsFiles;
import io.walrus.client.WalrusClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of a command that talks to walrus-server nodes: where they are, the cluster's name,
 * the timeout, and the files for mutual TLS with nodes started with them.
 */
final class ClusterOption {
    static final String ADDRESSES = "HOST:PORT[,HOST:PORT...]";

    @Option(names = "--cluster", paramLabel = ADDRESSES, converter = AddressesConverter.class,
            description = "some or all of the cluster's nodes (the rest are found through them)")
    String addresses;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterSettings.DEFAULT_CLUSTER,
            description = "with --cluster: the name its nodes were started with (walrus-server --cluster; "
                    + "default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "with --cluster: how long each call may take, finding a leader after a failure "
                    + "included (15s, 500ms, 2m; default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = TlsFiles.CERT_OPTION, paramLabel = "FILE",
            description = "with --cluster, for nodes started with TLS: this client's certificate (PEM); "
                    + "with --tls-key and --tls-trust")
    Path tlsCert;

    @Option(names = TlsFiles.KEY_OPTION, paramLabel = "FILE",
            description = "the certificate's private key (unencrypted PKCS#8 PEM)")
    Path tlsKey;

    @Option(names = TlsFiles.TRUST_OPTION, paramLabel = "FILE",
            description = "the CA certificates (PEM) the nodes' certificates must chain to")
    Path tlsTrust;

    /** The options that mean nothing without --cluster. */
    static final List<String> CLUSTER_ONLY = List.of("--cluster-name", "--timeout",
            TlsFiles.CERT_OPTION, TlsFiles.KEY_OPTION, TlsFiles.TRUST_OPTION);

    boolean given() {
        return addresses != null;
    }

    /**
     * A client of the cluster. When no node answers within the timeout the IOException names every
     * address and what each one did (the tool prints it on one line as its error and exits 2).
     */
    WalrusClient connect() throws IOException {
        WalrusClient.Builder builder = WalrusClient.builder().addresses(addresses).cluster(name).timeout(timeout);
        // Checked before any node is asked: a wrong TLS file is named as such, not as an unreachable cluster.
        Optional<TlsFiles> tls = TlsFiles.fromOptions(tlsCert, tlsKey, tlsTrust);
        if (tls.isPresent()) {
            builder.tls(tls.get());
        }
        try {
            return builder.connect();
        } catch (IOException e) {
            throw new IOException("cannot reach the cluster at " + addresses + ": " + e.getMessage(), e);
        }
    }

    /** Refuses what is not {@code [id=]host:port[,...]} as a usage error; hands on the addresses, normalised. */
    static final class AddressesConverter implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            try {
                return NodeAddresses.parse(text).stream()
                        .map(node -> node.id() == null ? node.address() : node.id() + "=" + node.address())
                        .collect(Collectors.joining(","));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
