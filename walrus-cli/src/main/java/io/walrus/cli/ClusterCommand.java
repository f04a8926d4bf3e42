package io.walrus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walrus cluster}: commands about a cluster of walrus-server nodes as a whole. */
@Command(name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Looks at a cluster of walrus-server nodes.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ClusterStatusCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus cluster status --cluster 127.0.0.1:6001,127.0.0.1:6002,127.0.0.1:6003",
            "  walrus cluster help status",
            ""})
final class ClusterCommand {
}
