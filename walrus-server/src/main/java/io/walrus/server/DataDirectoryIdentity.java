package io.walrus.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Which node of which cluster a data directory belongs to, in a small {@code NODE} file written when
 * the node first starts there. A node started on another node's or another cluster's directory
 * refuses to start, before it writes anything, instead of mixing two logs.
 */
final class DataDirectoryIdentity {
    static final String FILE = "NODE";

    private DataDirectoryIdentity() {
    }

    /**
     * Checks {@code config.dataDir()} is empty, absent, or this node's. Writes nothing.
     *
     * @return whether the directory is new (the identity must be written)
     */
    static boolean check(NodeConfig config) throws IOException {
        Path dir = config.dataDir();
        Path file = dir.resolve(FILE);
        if (!Files.exists(dir)) {
            return true;
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
            return true;
        }
        Properties recorded = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            recorded.load(in);
        }
        expect(recorded, "cluster", config.cluster(), dir, "belongs to cluster '%s', not '%s' (--cluster)");
        expect(recorded, "node", config.id(), dir, "belongs to node '%s', not '%s' (--id)");
        expect(recorded, "peers", config.peersLine(), dir, "was created with peers %s, not %s (--peers); "
                + "changing the members of a cluster is not supported yet");
        return false;
    }

    private static void expect(Properties recorded, String key, String actual, Path dir, String message)
            throws IOException {
        String value = recorded.getProperty(key);
        if (!actual.equals(value)) {
            throw new IOException("--data-dir " + dir + " " + String.format(message, value, actual));
        }
    }

    static void write(NodeConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Properties identity = new Properties();
        identity.setProperty("cluster", config.cluster());
        identity.setProperty("node", config.id());
        identity.setProperty("peers", config.peersLine());
        Path file = config.dataDir().resolve(FILE);
        Path temporary = config.dataDir().resolve(FILE + ".tmp");
        try (var out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            identity.store(out, "walrus-server node identity: which cluster and node this directory belongs to");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
