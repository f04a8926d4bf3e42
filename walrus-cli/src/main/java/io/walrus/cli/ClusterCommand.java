package io.walrus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walrus cluster}: commands about a cluster of walrus-server nodes as a whole. */
@Command(name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Looks at a cluster of walrus-server nodes, and changes its members.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ClusterStatusCommand.class, ClusterMembershipCommands.AddNode.class,
                ClusterMembershipCommands.RemoveNode.class, ClusterMembershipCommands.TransferLeader.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus cluster status --cluster 127.0.0.1:6001,127.0.0.1:6002,127.0.0.1:6003",
            "  walrus cluster add-node --cluster 127.0.0.1:6001 --id n4 --address 127.0.0.1:6004",
            "  walrus cluster remove-node --cluster 127.0.0.1:6001 --id n4",
            "  walrus cluster transfer-leader --cluster 127.0.0.1:6001 --group 0 --to n2",
            "  walrus cluster help status",
            ""})
final class ClusterCommand {
}
