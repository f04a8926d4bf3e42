package io.walrus.cli;

import io.walrus.client.WalrusClient;
import io.walrus.inspect.LogInspector;
import io.walrus.inspect.StoredEntry;
import io.walrus.inspect.TopicInfo;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
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
            "flush makes them durable. No cursor moves, nothing is written.",
            "With --cluster: what the cluster has committed, read through its leader;",
            "-f then asks it every --poll interval (one read a poll)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus tail ./wal_files --topic orders             # the last 10 entries",
            "  walrus tail ./wal_files --topic orders -n 0 -f     # only what is appended from now on",
            "  walrus tail ./wal_files --topic orders -f --format json | jq .text",
            "  walrus tail --cluster 127.0.0.1:6001,127.0.0.1:6002 --topic orders -f --poll 1000",
            ""})
final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LogLocation location;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "the topic to follow")
    String topic;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
            description = "print the last N entries first (default: ${DEFAULT-VALUE})")
    long last;

    @Option(names = {"-f", "--follow"}, description = "keep printing entries as they are appended, until interrupted or until the output is closed (noticed at the next entry printed)")
    boolean follow;

    @Option(names = "--poll", paramLabel = "MILLIS", defaultValue = "200",
            description = "with -f, how often to look for new entries; with --cluster each look is a read "
                    + "through the leader (default: ${DEFAULT-VALUE} ms)")
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
        if (location.isCluster()) {
            tailCluster(out);
        } else {
            tailDirectory(out);
        }
        out.flush();
        return WalrusCli.OK;
    }

    private void tailDirectory(PrintWriter out) throws IOException {
        Path instance = location.directory().existingInstance();
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
            return;
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
                if (outputClosed(out)) {
                    return;
                }
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

    /**
     * The last N entries as the cluster has them committed when tail starts (found without reading
     * the topic from its start), then with -f each new entry, polling at --poll.
     */
    private void tailCluster(PrintWriter out) throws IOException {
        try (WalrusClient client = location.cluster.connect()) {
            long committed = client.committedEntries(topic);
            if (committed == 0 && !follow) {
                throw new IllegalArgumentException("no topic '" + topic + "' in the cluster at "
                        + location.cluster.addresses + " (walrus cluster status lists the topics; with -f, tail waits for it)");
            }
            long first = Math.max(0, committed - last);
            ClusterTopicReader reader = new ClusterTopicReader(client, topic, first);
            if (follow) {
                followCluster(reader, out);
            } else {
                reader.printAvailable(committed - first, format, out);
            }
        } catch (IOException | RuntimeException e) {
            // As with the files, an interrupt is how -f is stopped, and it may come at any moment:
            // inside a call to the cluster (connecting included) it ends that call with an
            // InterruptedIOException, which need not leave the interrupt status set.
            if (!follow || !(Thread.currentThread().isInterrupted() || interruption(e))) {
                throw e;
            }
            Thread.currentThread().interrupt();
        }
    }

    private void followCluster(ClusterTopicReader reader, PrintWriter out) throws IOException {
        while (!Thread.currentThread().isInterrupted()) {
            long printed = reader.printAvailable(Long.MAX_VALUE, format, out);
            if (outputClosed(out)) {
                return;
            }
            if (printed == 0) {
                try {
                    Thread.sleep(pollMillis); // the cadence of asking the cluster, not a synchronisation
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Flushes, and says whether the output is gone (its reader closed it: {@code tail -f | head -3}):
     * then following is over, as if stopped. A PrintWriter keeps its write errors to itself.
     */
    private static boolean outputClosed(PrintWriter out) {
        return out.checkError();
    }

    private static boolean interruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // A SocketTimeoutException is an InterruptedIOException too, but a timeout, not a stop.
            if ((t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))
                    || t instanceof ClosedByInterruptException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
