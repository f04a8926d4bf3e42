package io.walrus.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walrus}: the entry point of the command-line tool, and how its commands are wired. */
@Command(name = "walrus",
        mixinStandardHelpOptions = true,
        versionProvider = WalrusCli.Version.class,
        description = {"Looks inside a Walrus data directory, and appends to it;",
            "or appends to, reads and watches a cluster of walrus-server nodes."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {InspectCommand.class, VerifyCommand.class, DumpCommand.class, TailCommand.class,
                AppendCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nDIR%n",
        footer = {
            "  The directory holding the *.wal files; by default $WALRUS_DATA_DIR,",
            "  else (inspect, verify) wal_files. With --key K (or",
            "  $WALRUS_INSTANCE_KEY): its subdirectory for that key, as the",
            "  library does. inspect, verify, dump and tail never change it (no",
            "  lock, no cursor moves, no recovery) and read it safely while",
            "  another process has it open.",
            "",
            "--cluster HOST:PORT[,HOST:PORT...]",
            "  Instead of DIR, for append, dump and tail: the nodes of a replicated",
            "  Walrus (walrus-server), some or all of them. Give DIR or --cluster,",
            "  not both. --timeout (default 15s) bounds each call to the cluster.",
            "  cluster status shows every node.",
            "",
            "Exit status: 0 done; 1 verify found damage; 2 could not do it.",
            "  (cluster status: 1 when fewer than a majority of the nodes answered)",
            "",
            "Examples:",
            "  walrus inspect ./wal_files",
            "  walrus verify ./wal_files && echo intact",
            "  walrus dump ./wal_files --topic orders --from 100 --limit 10",
            "  walrus tail ./wal_files --topic orders -f",
            "  printf 'one\\ntwo\\n' | walrus append ./wal_files --topic orders",
            "  walrus dump --cluster 127.0.0.1:6001,127.0.0.1:6002 --topic orders",
            "  walrus cluster status --cluster 127.0.0.1:6001,127.0.0.1:6002",
            "  walrus help dump",
            ""})
public final class WalrusCli {
    /** Exit status: done (verify: nothing damaged). */
    static final int OK = 0;
    /** Exit status of verify when something is damaged. */
    static final int DAMAGED = 1;
    /** Exit status of cluster status when fewer than a majority of the nodes answered. */
    static final int NO_MAJORITY = 1;
    /** Exit status when the command could not be carried out. */
    static final int FAILED = 2;

    /**
     * Ratis's gRPC (shaded, under org.apache.ratis) logs through java.util.logging, and would print
     * its warnings about nodes it cannot reach between the tool's lines; the tool says that itself.
     * A strong reference: java.util.logging holds its loggers weakly, and the level with them.
     */
    private static final java.util.logging.Logger RATIS_JUL = java.util.logging.Logger.getLogger("org.apache.ratis");

    /** Where append reads entries from: standard input, or what a test hands in. */
    final InputStream in;

    WalrusCli(InputStream in) {
        this.in = in;
    }

    public static void main(String[] args) {
        RATIS_JUL.setLevel(java.util.logging.Level.OFF);
        // Straight to the file descriptors, not through System.out: a PrintStream swallows the error of
        // a write to a closed pipe, and tail -f would never learn that its reader left.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new java.io.FileOutputStream(java.io.FileDescriptor.err),
                System.err.charset()), true);
        int status;
        try {
            status = commandLine(System.in, out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(status);
    }

    /**
     * Runs the tool in this process as {@code bin/walrus} runs it (the same picocli entry point), with
     * {@code in} as its standard input and {@code out} and {@code err} as its output, and returns its
     * exit status (0 done; 1 verify found damage, or cluster status found no majority; 2 could not do
     * it, a usage error included). It does not exit the JVM, and flushes both streams before it returns.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, out.charset()), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, err.charset()), true);
        try {
            return commandLine(in, outWriter, errWriter).execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The tool with its streams: what main runs, and what tests run. */
    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new WalrusCli(in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> FAILED);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
            commandLine.getErr().flush();
            return FAILED;
        });
        return cli;
    }

    /** A failure in words a person at a terminal can act on. */
    static String describe(Exception e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such file or directory: " + missing.getFile();
            case NotDirectoryException notDir -> "not a directory: " + notDir.getFile();
            case AccessDeniedException denied -> "permission denied: " + denied.getFile();
            default -> e.getMessage() == null ? e.toString() : oneLine(e.getMessage());
        };
    }

    /** A message on one line, as the tool prints its errors: line breaks (a remote stack's) become "; ". */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** The version of the jar, from its manifest (a development build says so). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = WalrusCli.class.getPackage().getImplementationVersion();
            return new String[] {"walrus " + (version == null ? "(development build)" : version)};
        }
    }
}
