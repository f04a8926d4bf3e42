package io.walrus.cli;

import io.walrus.inspect.DataFileInfo;
import io.walrus.inspect.DirectoryState;
import io.walrus.inspect.LogInspector;
import io.walrus.inspect.TopicInfo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code walrus inspect}: what is in a data directory. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the files, blocks and topics in a data directory.",
            "Per topic: entries, bytes, persisted cursor and lag, as the next open",
            "would recover them (every entry is verified). Changes nothing; safe",
            "while another process has the directory open."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus inspect                        # $WALRUS_DATA_DIR, else ./wal_files",
            "  walrus inspect /var/lib/app/wal --key tenant-42",
            "  walrus inspect ./wal_files --json | jq '.topics[] | select(.lag > 1000)'",
            ""})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOption directory;

    @Option(names = "--json", description = "print one JSON object instead of tables")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path instance = directory.existingInstance();
        try (LogInspector inspector = LogInspector.open(instance)) {
            DirectoryState state = inspector.state();
            List<DataFileInfo> files = inspector.files();
            List<TopicInfo> topics = inspector.topics();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(asJson(state, files, topics)));
            } else {
                printTables(out, state, files, topics);
            }
            out.flush();
        }
        return WalrusCli.OK;
    }

    static String describe(DirectoryState state) {
        if (state.lockHolder().isPresent()) {
            return "open in process " + state.lockHolder().getAsLong() + " (read as it was a moment ago)";
        }
        return state.cleanShutdown() ? "closed cleanly"
                : "not closed cleanly (a crash, or open in a process this tool cannot see); the next open recovers it";
    }

    private static void printTables(PrintWriter out, DirectoryState state, List<DataFileInfo> files,
                                    List<TopicInfo> topics) {
        long used = files.stream().mapToLong(DataFileInfo::blocksUsed).sum();
        long blocks = files.stream().mapToLong(DataFileInfo::blockCount).sum();
        long size = files.stream().mapToLong(DataFileInfo::sizeBytes).sum();
        out.println("directory  " + state.directory());
        out.println("state      " + describe(state));
        out.println("files      " + files.size() + " data files, " + used + " of " + blocks + " blocks used, "
                + Table.bytes(size) + " allocated");
        out.println("topics     " + topics.size() + ", " + topics.stream().mapToLong(TopicInfo::entries).sum()
                + " entries");
        if (!files.isEmpty()) {
            out.println();
            Table table = new Table("FILE", "BLOCKS>", "USED>", "BLOCK SIZE>", "SIZE>", "CREATED");
            for (DataFileInfo f : files) {
                table.row(f.name(), f.readable() ? f.blockCount() : "-", f.readable() ? f.blocksUsed() : "-",
                        f.readable() ? Table.bytes(f.blockSize()) : "-", Table.bytes(f.sizeBytes()),
                        f.created().map(Object::toString).orElse("header does not verify"));
            }
            table.print(out);
        }
        if (!topics.isEmpty()) {
            out.println();
            Table table = new Table("TOPIC", "BLOCKS>", "ENTRIES>", "FIRST>", "NEXT>", "BYTES>", "CURSOR>", "LAG>");
            for (TopicInfo t : topics) {
                table.row(t.topic(), t.blocks(), t.entries(), t.firstSequence(), t.nextSequence(),
                        Table.bytes(t.bytes()), t.cursor().isPresent() ? t.cursor().getAsLong() : "-", t.lag());
            }
            table.print(out);
        }
    }

    private static Map<String, Object> asJson(DirectoryState state, List<DataFileInfo> files, List<TopicInfo> topics) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("directory", state.directory().toString());
        root.put("cleanShutdown", state.cleanShutdown());
        root.put("lockHolderPid", state.lockHolder().isPresent() ? state.lockHolder().getAsLong() : null);
        List<Object> fileList = new ArrayList<>();
        for (DataFileInfo f : files) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("name", f.name());
            file.put("fileSequence", f.fileSequence());
            file.put("sizeBytes", f.sizeBytes());
            file.put("readable", f.readable());
            file.put("blockSize", f.blockSize());
            file.put("blockCount", f.blockCount());
            file.put("blocksUsed", f.blocksUsed());
            file.put("created", f.created().map(Object::toString).orElse(null));
            fileList.add(file);
        }
        root.put("files", fileList);
        List<Object> topicList = new ArrayList<>();
        for (TopicInfo t : topics) {
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("topic", t.topic());
            topic.put("blocks", t.blocks());
            topic.put("entries", t.entries());
            topic.put("firstSequence", t.firstSequence());
            topic.put("nextSequence", t.nextSequence());
            topic.put("bytes", t.bytes());
            topic.put("cursor", t.cursor().isPresent() ? t.cursor().getAsLong() : null);
            topic.put("lag", t.lag());
            topicList.add(topic);
        }
        root.put("topics", topicList);
        return root;
    }
}
