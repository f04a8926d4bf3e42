package io.walrus.log;

import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;
import io.walrus.testing.TestBackend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opening the engine directly, on the I/O path under test, with small blocks, and reading a topic back whole. */
final class LogFixture {
    static final int BLOCK = 64 << 10;

    private LogFixture() {
    }

    static WriteAheadLog open(Path dir, DataFiles files, FlushPolicy.Kind flush, int blocksPerFile) throws IOException {
        return WriteAheadLog.open(new LogConfig(dir, 1, flush, files == DataFiles.MMAP, BLOCK, blocksPerFile, 2, files));
    }

    /** The engine on the I/O path under test ({@link TestBackend}), flushed only on close. */
    static WriteAheadLog open(Path dir) throws IOException {
        return open(dir, TestBackend.current().dataFiles(), FlushPolicy.Kind.onCloseOnly(), 4);
    }

    /** Every entry from the cursor on, consuming them. */
    static List<String> readAll(WriteAheadLog log, String topic) throws IOException {
        List<String> all = new ArrayList<>();
        List<byte[]> batch;
        while (!(batch = log.batchRead(topic, Long.MAX_VALUE, 2000, true)).isEmpty()) {
            for (byte[] payload : batch) {
                all.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
        return all;
    }

    /** Every entry from the cursor on (at most 2,000), without moving it. */
    static List<String> peekAll(WriteAheadLog log, String topic) throws IOException {
        List<String> all = new ArrayList<>();
        for (byte[] payload : log.batchRead(topic, Long.MAX_VALUE, 2000, false)) {
            all.add(new String(payload, StandardCharsets.UTF_8));
        }
        if (all.size() == 2000) {
            throw new IllegalStateException("peekAll is for small topics");
        }
        return all;
    }

    /** Pretends the last close never happened, as after a crash. */
    static void forgetCleanShutdown(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("CLEAN"));
    }
}
