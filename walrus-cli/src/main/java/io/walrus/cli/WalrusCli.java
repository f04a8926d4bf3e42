package io.walrus.cli;

import java.io.InputStream;
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
        description = "Looks inside a Walrus data directory, and appends to it.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {InspectCommand.class, VerifyCommand.class, DumpCommand.class, TailCommand.class,
                AppendCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nDIR%n",
        footer = {
            "  The directory holding the *.wal files; by default $WALRUS_DATA_DIR,",
            "  else wal_files. With --key K (or $WALRUS_INSTANCE_KEY): its",
            "  subdirectory for that key, as the library does. inspect, verify,",
            "  dump and tail never change it (no lock, no cursor moves, no",
            "  recovery) and read it safely while another process has it open.",
            "",
            "Exit status: 0 done; 1 verify found damage; 2 could not do it.",
            "",
            "Examples:",
            "  walrus inspect ./wal_files",
            "  walrus verify ./wal_files && echo intact",
            "  walrus dump ./wal_files --topic orders --from 100 --limit 10",
            "  walrus tail ./wal_files --topic orders -f",
            "  printf 'one\\ntwo\\n' | walrus append ./wal_files --topic orders",
            "  walrus help dump",
            ""})
public final class WalrusCli {
    /** Exit status: done (verify: nothing damaged). */
    static final int OK = 0;
    /** Exit status of verify when something is damaged. */
    static final int DAMAGED = 1;
    /** Exit status when the command could not be carried out. */
    static final int FAILED = 2;

    /** Where append reads entries from: standard input, or what a test hands in. */
    final InputStream in;

    WalrusCli(InputStream in) {
        this.in = in;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine(System.in, out, err).execute(args));
    }

    /** The tool with its streams: what main runs, and what tests run. */
    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new WalrusCli(in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> FAILED);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("walrus " + commandLine.getCommandName() + ": " + describe(e));
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
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
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
