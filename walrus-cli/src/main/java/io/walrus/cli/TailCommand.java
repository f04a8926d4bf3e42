package io.walrus.cli;

import io.walrus.inspect.LogInspector;
import io.walrus.inspect.StoredEntry;
import io.walrus.inspect.TopicInfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code walrus tail}: a topic's last entries, and with -f the ones another process appends. */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a topic's last entries, and with -f the new ones as they come.",
            "With -f it polls the files for entries another process appends (a",
            "batch shows once it is whole). Entries show once written, before a",
            "flush makes them durable. No cursor moves, nothing is written."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus tail ./wal_files --topic orders             # the last 10 entries",
            "  walrus tail ./wal_files --topic orders -n 0 -f     # only what is appended from now on",
            "  walrus tail ./wal_files --topic orders -f --format json | jq .text",
            ""})
final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOption directory;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "the topic to follow")
    String topic;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
            description = "print the last N entries first (default: ${DEFAULT-VALUE})")
    long last;

    @Option(names = {"-f", "--follow"}, description = "keep printing entries as they are appended, until interrupted")
    boolean follow;

    @Option(names = "--poll", paramLabel = "MILLIS", defaultValue = "200",
            description = "with -f, how often to look for new entries (default: ${DEFAULT-VALUE} ms)")
    long pollMillis;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES} (as for dump; default: ${DEFAULT-VALUE})")
    EntryFormat format;

    @Override
    public Integer call() throws Exception {
        if (last < 0 || pollMillis < 1) {
            throw new IllegalArgumentException("-n must not be negative and --poll must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path instance = directory.existingInstance();
        if (!follow) {
            try (LogInspector inspector = LogInspector.open(instance)) {
                TopicInfo info = inspector.topic(topic).orElseThrow(() -> new IllegalArgumentException(
                        "no topic '" + topic + "' in " + inspector.directory()
                                + " (walrus inspect lists the topics; with -f, tail waits for it)"));
                LogInspector.EntryReader entries = inspector.entries(topic, firstShown(info));
                Optional<StoredEntry> entry;
                while ((entry = entries.next()).isPresent()) {
                    format.print(out, entry.get());
                }
            }
            out.flush();
            return WalrusCli.OK;
        }
        try {
            follow(instance, out);
        } catch (IOException | RuntimeException e) {
            // An interrupt is how -f is stopped, and it may come at any moment: in the sleep between
            // polls, while an entry is printed, or in the middle of reading the files. The files are
            // FileChannels, and an interrupt closes a FileChannel: one that lands inside a read (or is
            // pending when a channel operation starts that does not set it aside, such as the size of
            // a data file being opened) ends that operation with ClosedByInterruptException. Once the
            // thread is interrupted, whatever failed is that stop, not a failure to report.
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
        }
        out.flush();
        return WalrusCli.OK;
    }

    /** Prints entries as they come until the thread is interrupted; returns with its interrupt status set. */
    private void follow(Path instance, PrintWriter out) throws IOException {
        try (LogInspector inspector = LogInspector.open(instance)) {
            long from = inspector.topic(topic).map(this::firstShown).orElse(0L);
            LogInspector.TopicFollower follower = inspector.follow(topic, from);
            while (!Thread.currentThread().isInterrupted()) {
                List<StoredEntry> entries = follower.poll();
                for (StoredEntry entry : entries) {
                    format.print(out, entry);
                }
                out.flush();
                if (entries.isEmpty()) {
                    try {
                        Thread.sleep(pollMillis); // the cadence of polling the files, not a synchronisation
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt(); // the caller still sees that it was interrupted
                        return;
                    }
                }
            }
        }
    }

    /** The first entry of -n: the last N, or all there are. */
    private long firstShown(TopicInfo info) {
        return Math.max(info.firstSequence(), info.nextSequence() - last);
    }
}
