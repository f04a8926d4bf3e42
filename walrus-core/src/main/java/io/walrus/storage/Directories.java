package io.walrus.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable directory operations: a created, renamed or deleted name survives a crash only once its directory is synced. */
public final class Directories {
    private Directories() {
    }

    /** fsync of the directory itself, so names created, renamed or removed in it are durable. */
    public static void sync(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (not Linux) cannot open a directory for reading; there the rename is all we have.
            if (Files.isDirectory(directory) && isLinux()) {
                throw e;
            }
        }
    }

    /** Replaces {@code target} with {@code source} in one atomic step, then syncs the directory. */
    public static void replaceDurably(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(target.getParent());
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }
}
