package io.walrus.cli;

import io.walrus.FsyncSchedule;
import io.walrus.TopicStats;
import io.walrus.Walrus;
import io.walrus.WalrusLog;
import io.walrus.client.WalrusClient;
import io.walrus.inspect.DataFileInfo;
import io.walrus.inspect.LogInspector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code walrus append}: entries from standard input. The only command that writes. */
@Command(name = "append",
        mixinStandardHelpOptions = true,
        description = {
            "Appends entries from standard input to a topic.",
            "One entry per line (without its newline), or with --whole all of",
            "standard input as one entry. It opens the directory as the library does",
            "(lock, recovery), so it is refused while another process has it open.",
            "What it appended is flushed to disk before it exits.",
            "With --cluster: each entry (each batch) is one Raft write, done once a",
            "majority of the nodes holds it; --batch makes many lines one write."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  printf 'one\\ntwo\\nthree\\n' | walrus append ./wal_files --topic orders",
            "  walrus append ./wal_files --topic images --whole < photo.jpg",
            "  walrus append ./wal_files --topic events --batch 100 < events.ndjson",
            "  walrus append --cluster 127.0.0.1:6001,127.0.0.1:6002 --topic events --batch 500 < events.ndjson",
            ""})
final class AppendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    WalrusCli parent;

    @Mixin
    LogLocation location;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "the topic to append to")
    String topic;

    @Option(names = "--whole", description = "append all of standard input as one entry, instead of one per line")
    boolean whole;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "append lines in atomic batches of up to N (1 to 2000; default: ${DEFAULT-VALUE})")
    int batch;

    /** Entries whose append has returned, for the report of a write that fails after them. */
    private long done;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > Walrus.MAX_BATCH_ENTRIES) {
            throw new IllegalArgumentException("--batch must be 1 to " + Walrus.MAX_BATCH_ENTRIES + ", --batch=" + batch);
        }
        if (location.isCluster()) {
            appendToCluster();
        } else {
            appendToDirectory(location.directory().resolve());
        }
        return WalrusCli.OK;
    }

    private void appendToDirectory(Path instance) throws IOException {
        try (Walrus wal = open(instance)) {
            long before = wal.stats().topic(topic).map(TopicStats::nextSequence).orElse(0L);
            long appended = appendInput(wal);
            report(appended == 0 ? "" : " (entries " + before + " to " + (before + appended - 1) + ")", appended);
        }
    }

    /**
     * The cluster does not say which sequences an append got (another client may append at the same
     * time), so the report has no range. A write that fails after others took says how many did.
     */
    private void appendToCluster() throws IOException {
        try (WalrusClient client = location.cluster.connect()) {
            long appended;
            try {
                appended = appendInput(client);
            } catch (IOException e) {
                if (done == 0) {
                    throw e;
                }
                throw new IOException("appended " + done + (done == 1 ? " entry" : " entries") + " to '" + topic
                        + "', then: " + e.getMessage() + " (that write may still be committed)", e);
            }
            report("", appended);
        }
    }

    private long appendInput(WalrusLog log) throws IOException {
        InputStream in = parent.in;
        if (whole) {
            log.appendForTopic(topic, in.readAllBytes());
            return 1;
        }
        return appendLines(log, in);
    }

    private void report(String range, long appended) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(appended == 0 ? "appended nothing: standard input was empty"
                : "appended " + appended + (appended == 1 ? " entry" : " entries") + " to '" + topic + "'" + range);
        out.flush();
    }

    /**
     * Opens the directory for writing with the block layout its newest data file has (so new blocks
     * go into that file, not a new preallocated one), one file lane (one writer), and a flush on close.
     */
    private Walrus open(Path instance) throws IOException {
        Walrus.Builder builder = Walrus.builder().dataDir(instance).fileLanes(1).fsync(FsyncSchedule.noFsync());
        if (LogInspector.holdsDataFiles(instance)) {
            try (LogInspector inspector = LogInspector.open(instance)) {
                Optional<DataFileInfo> newest = inspector.files().stream()
                        .filter(f -> f.readable() && f.blockCount() > 1)
                        .max(Comparator.comparingLong(DataFileInfo::fileSequence));
                if (newest.isPresent()) {
                    builder.blockSize(newest.get().blockSize()).blocksPerFile(newest.get().blockCount());
                }
            }
        }
        try {
            return builder.open();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("locked by another process") || message.contains("already open")) {
                throw new IOException("cannot append: " + message + ". Only one process may write to a directory: "
                        + "append through the process that has it open, or stop it first. (inspect, verify, "
                        + "dump and tail read it safely while it is open.)", e);
            }
            throw e;
        }
    }

    /** Appends each line (bytes up to '\n', which is not kept) in batches of {@link #batch}; returns how many. */
    private long appendLines(WalrusLog wal, InputStream in) throws IOException {
        List<byte[]> pending = new ArrayList<>(batch);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        long appended = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    pending.add(line.toByteArray());
                    line.reset();
                    start = i + 1;
                    if (pending.size() == batch) {
                        appended += flush(wal, pending);
                    }
                }
            }
            line.write(buffer, start, n - start);
        }
        if (line.size() > 0) {
            pending.add(line.toByteArray()); // a last line without its newline
        }
        return appended + flush(wal, pending);
    }

    private int flush(WalrusLog wal, List<byte[]> pending) throws IOException {
        int count = pending.size();
        if (count == 1) {
            wal.appendForTopic(topic, pending.getFirst());
        } else if (count > 1) {
            wal.batchAppendForTopic(topic, pending);
        }
        pending.clear();
        done += count;
        return count;
    }
}
