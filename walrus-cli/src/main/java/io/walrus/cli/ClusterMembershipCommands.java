package io.walrus.cli;

import io.walrus.client.WalrusClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code walrus cluster add-node}, {@code remove-node}, {@code transfer-leader}: the cluster's
 * members and leaders changed while it serves (Ratis's configuration change, group by group).
 */
final class ClusterMembershipCommands {
    private ClusterMembershipCommands() {
    }

    /** What every membership command shares: the cluster to change, and how it reports. */
    abstract static class Change implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOption cluster;

        @Override
        public Integer call() throws IOException {
            if (!cluster.given()) {
                throw new ParameterException(spec.commandLine(), "Missing required option: '--cluster=" + ClusterOption.ADDRESSES + "'");
            }
            try (WalrusClient client = cluster.connect()) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(change(client));
                out.flush();
            }
            return WalrusCli.OK;
        }

        /** Makes the change; returns the line that says what was done. */
        abstract String change(WalrusClient client) throws IOException;
    }

    @Command(name = "add-node", mixinStandardHelpOptions = true,
            description = {
                "Adds a node to every Raft group of a running cluster. Start the node",
                "first, with a new data directory: walrus-server --id ID --peers",
                "<the cluster's peers and itself> --data-dir DIR --join. Each group's",
                "leader brings it up to date (log or snapshot), then commits the new",
                "members; writes go on meanwhile. The groups' preferred leaders are",
                "spread over the members again, so the node leads its share once",
                "caught up. Run it again to finish a change that failed half-way."},
            footerHeading = "%nExample:%n",
            footer = {"  walrus cluster add-node --cluster 127.0.0.1:6001 --id n4 --address 127.0.0.1:6004", ""})
    static final class AddNode extends Change {
        @Option(names = "--id", required = true, description = "the new node's id (walrus-server --id)")
        String id;

        @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "where the new node listens")
        String address;

        @Override
        String change(WalrusClient client) throws IOException {
            client.addNode(id, address);
            return "node " + id + " (" + address + ") is a member of all " + client.layout().count() + " Raft groups";
        }
    }

    @Command(name = "remove-node", mixinStandardHelpOptions = true,
            description = {
                "Removes a node from every Raft group of the cluster; a group it leads",
                "hands over once the change is committed. Stop the node after.",
                "Nothing acknowledged is lost: every entry is on a majority of the",
                "remaining members. Exit status 1 when it was no member."},
            footerHeading = "%nExample:%n",
            footer = {"  walrus cluster remove-node --cluster 127.0.0.1:6001 --id n3", ""})
    static final class RemoveNode extends Change {
        @Option(names = "--id", required = true, description = "the node to remove")
        String id;

        private boolean removed;

        @Override
        String change(WalrusClient client) throws IOException {
            removed = client.removeNode(id);
            return removed ? "node " + id + " is no longer a member of the cluster" : "node " + id + " is not a member of any group";
        }

        @Override
        public Integer call() throws IOException {
            int status = super.call();
            return removed ? status : WalrusCli.NO_MAJORITY;
        }
    }

    @Command(name = "transfer-leader", mixinStandardHelpOptions = true,
            description = {
                "Makes a node the leader of one Raft group (walrus cluster status shows",
                "the groups), and its preferred leader from then on. A later add-node",
                "or remove-node spreads the preferred leaders again."},
            footerHeading = "%nExample:%n",
            footer = {"  walrus cluster transfer-leader --cluster 127.0.0.1:6001 --group 0 --to n3", ""})
    static final class TransferLeader extends Change {
        @Option(names = "--group", required = true, description = "the group's index, 0 to groups - 1")
        int group;

        @Option(names = "--to", required = true, description = "the node that is to lead it")
        String to;

        @Override
        String change(WalrusClient client) throws IOException {
            if (group < 0 || group >= client.layout().count()) {
                throw new ParameterException(spec.commandLine(), "--group " + group + ": the cluster has groups 0 to "
                        + (client.layout().count() - 1));
            }
            client.transferLeader(group, to);
            return "node " + to + " leads group " + group;
        }
    }
}
