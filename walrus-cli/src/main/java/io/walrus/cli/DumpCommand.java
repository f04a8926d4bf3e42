package io.walrus.cli;

import io.walrus.client.WalrusClient;
import io.walrus.inspect.LogInspector;
import io.walrus.inspect.StoredEntry;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code walrus dump}: a topic's entries, without moving any cursor. */
@Command(name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a topic's entries, without moving any cursor.",
            "Entries come in order, as the next open would recover them. Nothing is",
            "written; safe while another process has the directory open.",
            "With --cluster: the entries the cluster has committed, read through its",
            "leader (hex and json then say nothing of files, blocks and offsets)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus dump ./wal_files --topic orders          # every entry, as text",
            "  walrus dump ./wal_files --topic orders --from 1000 --limit 5",
            "  walrus dump ./wal_files --topic images --limit 1 --format hex",
            "  walrus dump ./wal_files --topic orders --format json | jq -r .text",
            "  walrus dump --cluster 127.0.0.1:6001,127.0.0.1:6002 --topic orders --from 1000",
            ""})
final class DumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LogLocation location;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "the topic to print")
    String topic;

    @Option(names = "--from", paramLabel = "N", defaultValue = "0",
            description = "start at entry N (entries are numbered 0, 1, 2, ...; default: ${DEFAULT-VALUE})")
    long from;

    @Option(names = "--limit", paramLabel = "K", description = "print at most K entries (default: all)")
    Long limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES}: text is '<entry>  <payload>' with control characters "
                    + "escaped; hex adds where each entry lies; json is one object per line (default: ${DEFAULT-VALUE})")
    EntryFormat format;

    @Override
    public Integer call() throws Exception {
        if (from < 0 || (limit != null && limit < 0)) {
            throw new IllegalArgumentException("--from and --limit must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (location.isCluster()) {
            dumpCluster(out);
        } else {
            dumpDirectory(out);
        }
        out.flush();
        return WalrusCli.OK;
    }

    private void dumpDirectory(PrintWriter out) throws IOException {
        try (LogInspector inspector = LogInspector.open(location.directory().existingInstance())) {
            if (inspector.topic(topic).isEmpty()) {
                throw new IllegalArgumentException("no topic '" + topic + "' in " + inspector.directory()
                        + " (walrus inspect lists the topics)");
            }
            LogInspector.EntryReader entries = inspector.entries(topic, from);
            long printed = 0;
            Optional<StoredEntry> entry;
            while ((limit == null || printed < limit) && (entry = entries.next()).isPresent()) {
                format.print(out, entry.get());
                printed++;
            }
        }
    }

    /** Page by page until a page comes back empty: what was committed when the last page was read. */
    private void dumpCluster(PrintWriter out) throws IOException {
        try (WalrusClient client = location.cluster.connect()) {
            long printed = new ClusterTopicReader(client, topic, from)
                    .printAvailable(limit == null ? Long.MAX_VALUE : limit, format, out);
            if (printed == 0 && client.committedEntries(topic) == 0) {
                throw new IllegalArgumentException("no topic '" + topic + "' in the cluster at " + location.cluster.addresses
                        + " (walrus cluster status lists the topics)");
            }
        }
    }
}
