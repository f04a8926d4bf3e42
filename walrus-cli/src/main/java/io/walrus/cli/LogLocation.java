package io.walrus.cli;

import java.nio.file.Path;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Where append, dump and tail work: a data directory (DIR and --key) or a cluster (--cluster and
 * its options). Exactly one: both, or neither, is a usage error.
 */
final class LogLocation {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "the directory with the *.wal files (default: $WALRUS_DATA_DIR); not with --cluster")
    Path dir;

    @Option(names = "--key", paramLabel = "KEY",
            description = "the instance key: use DIR's subdirectory for it (default: $WALRUS_INSTANCE_KEY)")
    String key;

    @Mixin
    ClusterOption cluster;

    /**
     * Whether the command goes to a cluster. Refuses DIR (or --key) with --cluster, the cluster's
     * options without it, and neither a directory nor a cluster; $WALRUS_DATA_DIR counts as a
     * directory given, as the library reads it.
     */
    boolean isCluster() {
        ParseResult parsed = command.commandLine().getParseResult();
        if (cluster.given()) {
            if (dir != null) {
                throw usage("give DIR or --cluster, not both (DIR " + dir + ", --cluster " + cluster.addresses
                        + "): a command works on a data directory or on a cluster");
            }
            if (key != null) {
                throw usage("--key names an instance in a data directory; it does not go with --cluster");
            }
            return true;
        }
        for (String clusterOnly : ClusterOption.CLUSTER_ONLY) {
            if (parsed.hasMatchedOption(clusterOnly)) {
                throw usage(clusterOnly + " goes with --cluster, which is not given");
            }
        }
        if (dir == null && DirectoryOption.env("WALRUS_DATA_DIR", null) == null) {
            throw usage("give a data directory (DIR, or set $WALRUS_DATA_DIR) or a cluster (--cluster "
                    + ClusterOption.ADDRESSES + ")");
        }
        return false;
    }

    /** DIR and --key, as inspect and verify take them. */
    DirectoryOption directory() {
        return new DirectoryOption(dir, key);
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
