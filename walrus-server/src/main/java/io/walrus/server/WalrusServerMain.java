package io.walrus.server;

import io.walrus.client.ClusterSettings;
import io.walrus.client.GroupLayout;
import io.walrus.client.NodeAddresses;
import io.walrus.client.TlsFiles;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code walrus-server}: runs one node in the foreground until SIGTERM (or SIGINT), printing a line
 * with {@code ready} once it serves. Bad options or a data directory that is not this node's: a
 * message on stderr, exit status 2, nothing written.
 */
@Command(name = "walrus-server", mixinStandardHelpOptions = true,
        description = "Runs one node of a replicated Walrus cluster (Apache Ratis) in the foreground.",
        footer = {"", "Example (three nodes on one machine, one command each):",
                "  walrus-server --id n1 --peers n1=127.0.0.1:6001,n2=127.0.0.1:6002,n3=127.0.0.1:6003 --data-dir data/n1"})
public final class WalrusServerMain implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--id", required = true, description = "This node's id; one of the ids in --peers.")
    String id;

    @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT[,...]",
            description = "Every node of the cluster, this one included.")
    String peers;

    @Option(names = "--data-dir", required = true, description = "Where this node keeps its Raft log and its Walrus instance.")
    Path dataDir;

    @Option(names = "--cluster", defaultValue = ClusterSettings.DEFAULT_CLUSTER,
            description = "The cluster's name; clients use the same (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--snapshot-every", defaultValue = "" + NodeConfig.DEFAULT_SNAPSHOT_EVERY,
            description = "Log entries between snapshots, after which the log is purged (default: ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(names = "--purge-gap", defaultValue = "" + NodeConfig.DEFAULT_PURGE_GAP,
            description = "Log entries kept behind a snapshot (default: ${DEFAULT-VALUE}).")
    int purgeGap;

    @Option(names = "--log-segment-size", defaultValue = "" + NodeConfig.DEFAULT_LOG_SEGMENT_BYTES,
            description = "Bytes at which the Raft log starts a new segment; the log is purged a segment at a time "
                    + "(default: ${DEFAULT-VALUE}).")
    long logSegmentBytes;

    @Option(names = "--ratis", paramLabel = "KEY=VALUE",
            description = "A Ratis server property, set after Walrus's own (repeatable), e.g. "
                    + "raft.server.rpc.timeout.min=500ms. For tuning; the defaults are chosen for this node.")
    java.util.Map<String, String> ratisProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /metrics (Prometheus) and /ready over HTTP on this port; 0: any free port, printed "
                    + "in the ready line (default: no HTTP endpoint).")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST",
            description = "The address the metrics endpoint binds (default: " + MetricsAddress.DEFAULT_HOST
                    + ", this machine only; 0.0.0.0 for every interface). Needs --metrics-port.")
    String metricsHost;

    @Option(names = "--groups", paramLabel = "N",
            description = "Raft groups the topics spread over, each led by another node when it can be "
                    + "(default: one per peer; a data directory keeps the number it was created with).")
    Integer groups;

    @Option(names = "--join",
            description = "Join a running cluster as a new member: with a new --data-dir, learn the cluster's "
                    + "groups from the other --peers and wait until 'walrus cluster add-node' adds this node "
                    + "(it then catches up from the leaders). Ignored when the data directory has a node already.")
    boolean join;

    @Option(names = TlsFiles.CERT_OPTION, paramLabel = "FILE",
            description = "Mutual TLS: this node's certificate (chain), PEM, naming the address in --peers. "
                    + "With --tls-key and --tls-trust; every node and client needs them (default: plain gRPC).")
    Path tlsCert;

    @Option(names = TlsFiles.KEY_OPTION, paramLabel = "FILE",
            description = "Mutual TLS: the certificate's private key, unencrypted PKCS#8 PEM.")
    Path tlsKey;

    @Option(names = TlsFiles.TRUST_OPTION, paramLabel = "FILE",
            description = "Mutual TLS: the CA certificates (PEM) that nodes' and clients' certificates must chain to.")
    Path tlsTrust;

    @Option(names = "--block-size", defaultValue = "1048576",
            description = "Walrus block size of the node's instance, bytes (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--blocks-per-file", defaultValue = "64",
            description = "Walrus blocks per data file (default: ${DEFAULT-VALUE}).")
    int blocksPerFile;

    public static void main(String[] args) {
        ServerLogging.configure();
        int status = commandLine().execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command line: an error before the node serves is a message and status 2. */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new WalrusServerMain());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("walrus-server: " + e.getMessage());
            return 2;
        });
        return line;
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config;
        try {
            if (metricsHost != null && metricsPort == null) {
                throw new IllegalArgumentException("--metrics-host " + metricsHost + " needs --metrics-port "
                        + "(the metrics endpoint is off without one)");
            }
            MetricsAddress metrics = metricsPort == null ? null
                    : new MetricsAddress(metricsHost == null ? MetricsAddress.DEFAULT_HOST : metricsHost, metricsPort);
            if (groups != null) {
                // Checked here: 0 means "not given" to NodeConfig.
                new GroupLayout(cluster, groups);
            }
            config = new NodeConfig(id, NodeAddresses.parse(peers), dataDir.toAbsolutePath(), cluster, snapshotEvery,
                    purgeGap, logSegmentBytes, new NodeStorage(blockSize, blocksPerFile), ratisProperties, metrics,
                    groups == null ? 0 : groups, join, TlsFiles.fromOptions(tlsCert, tlsKey, tlsTrust).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Bound before the node writes anything: a metrics port in use stops the start with nothing written.
        MetricsServer metrics = config.metrics() == null ? null : MetricsServer.start(config.metrics());
        WalrusNode node;
        try {
            node = WalrusNode.start(config, metrics == null ? new AppliedWrites() : metrics.appliedWrites());
        } catch (IOException | RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        String metricsLine = "";
        if (metrics != null) {
            metrics.serve(node);
            metricsLine = ", metrics http://" + new MetricsAddress(config.metrics().host(), metrics.port()) + "/metrics";
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (metrics != null) {
                    metrics.close();
                }
                node.close();
                System.out.println("walrus-server " + id + " stopped");
            } catch (Exception e) {
                System.err.println("walrus-server " + id + ": stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "walrus-server-stop"));
        System.out.println("walrus-server " + id + " ready on " + config.self().address() + " (cluster '" + cluster
                + "', " + node.layout().count() + " Raft group(s), peers " + config.peersLine() + ", data " + config.dataDir()
                + metricsLine + (config.tls() == null ? "" : ", mutual TLS") + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
