package io.walrus.cli;

import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;
import io.walrus.testing.Payloads;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Real data directories made by the library, for the tool to look at. */
final class Logs {
    private Logs() {
    }

    /** Small blocks (64 KiB, 4 per file), so a few hundred entries cross blocks and files. */
    static Walrus open(Path dir) throws IOException {
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).consistency(ReadConsistency.strictlyAtOnce())
                .fileLanes(1).open();
    }

    /** Appends {@link Payloads#entry} 0 .. count-1 of {@code topic}. */
    static void append(Walrus wal, String topic, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            wal.appendForTopic(topic, Payloads.entry(topic, i));
        }
    }

    static String text(String topic, long i) {
        return new String(Payloads.entry(topic, i), StandardCharsets.UTF_8);
    }

    /** Every file under {@code dir} with its bytes, to prove a command changed nothing. */
    static List<String> snapshot(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                String bytes = Files.isRegularFile(p)
                        ? Files.size(p) + ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)) : "dir";
                files.add(dir.relativize(p) + " " + bytes + " " + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }
}
