package io.walrus.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Which node of which cluster a data directory belongs to, in a small {@code NODE} file written when
 * the node first starts there. A node started on another node's or another cluster's directory
 * refuses to start, before it writes anything, instead of mixing two logs.
 */
final class DataDirectoryIdentity {
    static final String FILE = "NODE";
    /**
     * How the node stores what it applies: 2, each payload once, in Walrus, tagged with its Raft entry
     * ({@link PayloadTag}); directories without it are layout 1, payloads in the Raft log and Walrus.
     */
    static final String LAYOUT = "2";

    private DataDirectoryIdentity() {
    }

    /**
     * What {@link #check} found.
     *
     * @param fresh  the directory is new: the identity must be written
     * @param groups the number of Raft groups recorded (empty in a new directory; 1 in one from before
     *               clusters had several)
     */
    record Found(boolean fresh, OptionalInt groups) {
        static final Found NEW = new Found(true, OptionalInt.empty());
    }

    /** Checks {@code config.dataDir()} is empty, absent, or this node's, with as many groups. Writes nothing. */
    static Found check(NodeConfig config) throws IOException {
        Path dir = config.dataDir();
        Path file = dir.resolve(FILE);
        if (!Files.exists(dir)) {
            return Found.NEW;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("--data-dir " + dir + " is not a directory");
        }
        if (!Files.exists(file)) {
            try (Stream<Path> entries = Files.list(dir)) {
                List<String> names = entries.map(p -> p.getFileName().toString()).limit(5).toList();
                if (!names.isEmpty()) {
                    throw new IOException("--data-dir " + dir + " is not empty and holds no " + FILE
                            + " file, so it is not a walrus-server data directory (it holds " + names + ")");
                }
            }
            return Found.NEW;
        }
        Properties recorded = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            recorded.load(in);
        }
        expect(recorded, "cluster", config.cluster(), dir, "belongs to cluster '%s', not '%s' (--cluster)");
        expect(recorded, "node", config.id(), dir, "belongs to node '%s', not '%s' (--id)");
        // The peers recorded are those of the first start. Members change through the Raft log
        // (walrus cluster add-node, remove-node), which a node takes its members from once it has
        // one, so a node restarted with another --peers is not refused.
        int groups;
        try {
            groups = Integer.parseInt(recorded.getProperty("groups", "1"));
        } catch (NumberFormatException e) {
            throw new IOException("--data-dir " + dir + ": its " + FILE + " file records groups="
                    + recorded.getProperty("groups") + ", not a number");
        }
        if (config.groups() != 0 && config.groups() != groups) {
            throw new IOException("--data-dir " + dir + " was created with " + groups + " Raft group(s), not "
                    + config.groups() + " (--groups); a cluster keeps the number of groups it started with");
        }
        if (!LAYOUT.equals(recorded.getProperty("layout"))) {
            throw new IOException("--data-dir " + dir + " was written by an earlier walrus-server, which kept each payload "
                    + "in the Raft log as well as in Walrus (layout " + recorded.getProperty("layout", "1") + "); this one "
                    + "keeps payloads in Walrus only (layout " + LAYOUT + ") and cannot apply that log. Run the version "
                    + "that wrote it, or move the directory aside: started empty, the node catches up from its peers");
        }
        return new Found(false, OptionalInt.of(groups));
    }

    private static void expect(Properties recorded, String key, String actual, Path dir, String message)
            throws IOException {
        String value = recorded.getProperty(key);
        if (!actual.equals(value)) {
            throw new IOException("--data-dir " + dir + " " + String.format(message, value, actual));
        }
    }

    static void write(NodeConfig config, int groups) throws IOException {
        Files.createDirectories(config.dataDir());
        Properties identity = new Properties();
        identity.setProperty("cluster", config.cluster());
        identity.setProperty("node", config.id());
        identity.setProperty("peers", config.peersLine());
        identity.setProperty("groups", Integer.toString(groups));
        identity.setProperty("layout", LAYOUT);
        Path file = config.dataDir().resolve(FILE);
        Path temporary = config.dataDir().resolve(FILE + ".tmp");
        try (var out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            identity.store(out, "walrus-server node identity: which cluster and node this directory belongs to");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
