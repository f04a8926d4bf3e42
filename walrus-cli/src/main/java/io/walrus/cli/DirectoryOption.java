package io.walrus.cli;

import io.walrus.inspect.LogInspector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The DIR argument and --key option every command takes, resolved as the library resolves them. */
final class DirectoryOption {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "the directory with the *.wal files (default: $WALRUS_DATA_DIR, else wal_files)")
    Path dir;

    @Option(names = "--key", paramLabel = "KEY",
            description = "the instance key: use DIR's subdirectory for it (default: $WALRUS_INSTANCE_KEY)")
    String key;

    DirectoryOption() {
    }

    /** What a command that also takes --cluster resolves its DIR and --key with. */
    DirectoryOption(Path dir, String key) {
        this.dir = dir;
        this.key = key;
    }

    /** The instance directory: DIR (or its default), then the key's subdirectory if there is a key. */
    Path resolve() {
        Path root = dir != null ? dir : Path.of(env("WALRUS_DATA_DIR", "wal_files"));
        String effectiveKey = key != null ? key : env("WALRUS_INSTANCE_KEY", null);
        return LogInspector.instanceDirectory(root, effectiveKey).toAbsolutePath().normalize();
    }

    /**
     * The instance directory, which must hold data files. A data directory with instances under keys
     * gets an error that lists them, rather than an empty report.
     */
    Path existingInstance() throws IOException {
        Path instance = resolve();
        if (!Files.isDirectory(instance)) {
            throw new IOException("no such directory: " + instance + (dir == null
                    ? " (pass the directory that holds the *.wal files, or set WALRUS_DATA_DIR)" : ""));
        }
        if (!LogInspector.holdsDataFiles(instance)) {
            List<String> keyed = keyedInstances(instance);
            if (!keyed.isEmpty()) {
                throw new IOException(instance + " holds no data files, but these subdirectories do (instances "
                        + "opened with a key): " + String.join(", ", keyed) + "; pass one of them, or --key KEY");
            }
        }
        return instance;
    }

    private static List<String> keyedInstances(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(child -> {
                try {
                    return LogInspector.holdsDataFiles(child);
                } catch (IOException unreadable) {
                    return false;
                }
            }).map(child -> child.getFileName().toString()).sorted().toList();
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
