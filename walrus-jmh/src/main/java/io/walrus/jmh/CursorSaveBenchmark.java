package io.walrus.jmh;

import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.storage.Directories;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One durable cursor save, on the disk under the temporary directory: {@code inPlace} is
 * {@link CursorStore#save} (one positional write into the slot the last save did not use, one
 * fdatasync); {@code replaceFile} is the save of cursor file version 1, kept here as it was (write
 * a temporary file, fdatasync it, rename it over the cursor file, fsync the directory), to compare
 * the two in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class CursorSaveBenchmark {
    private static final String TOPIC = "jmh";

    private Path directory;
    private CursorStore store;
    private Path cursorFile;
    private long sequence;

    @Setup(Level.Trial)
    public void openStore() throws IOException {
        directory = Files.createTempDirectory("walrus-jmh-cursor-");
        store = new CursorStore(directory, System.getLogger(CursorSaveBenchmark.class.getName()));
        store.save(TOPIC, new Cursor(0, 0, 0)); // the file is made here, once: the rounds measure saves in place
        cursorFile = directory.resolve("version1.cursor");
    }

    @TearDown(Level.Trial)
    public void deleteStore() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public void inPlace() throws IOException {
        store.save(TOPIC, new Cursor(++sequence, 0, 64));
    }

    @Benchmark
    public void replaceFile() throws IOException {
        Path temp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        ByteBuffer bytes = ByteBuffer.allocate(36 + TOPIC.length()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0x52435557).putInt(1).putLong(++sequence).putLong(0).putInt(64).putInt(TOPIC.length())
                .putInt(0).put(TOPIC.getBytes(java.nio.charset.StandardCharsets.UTF_8)).flip();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        Directories.replaceDurably(temp, cursorFile);
    }
}
