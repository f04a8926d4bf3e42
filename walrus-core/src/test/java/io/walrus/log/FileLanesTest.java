package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;
import io.walrus.testing.ForwardingDataFile;
import io.walrus.testing.TestBackend;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Topics written by different threads should not share a data file (and its inode lock) while lanes allow. */
class FileLanesTest {
    @TempDir
    Path dir;

    @Test
    void topicsTakeLanesInTurnAndEachLaneFillsItsOwnFile() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.onCloseOnly(), false,
                LogFixture.BLOCK, 4, 2, TestBackend.current().dataFiles()))) {
            for (String topic : List.of("a", "b", "c")) {
                log.append(topic, topic.getBytes(StandardCharsets.UTF_8));
            }
            LogFile a = log.topic("a").chain()[0].file;
            LogFile b = log.topic("b").chain()[0].file;
            LogFile c = log.topic("c").chain()[0].file;
            assertNotSame(a, b, "the first two topics should fill different files");
            assertSame(a, c, "with two lanes the third topic shares the first one's file");
        }
        try (WriteAheadLog log = LogFixture.open(dir)) {
            for (String topic : List.of("a", "b", "c")) {
                assertEquals(List.of(topic), LogFixture.readAll(log, topic));
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a flush waiting on b's held force hangs
    void underSyncEachAnAppendForcesOnlyTheFileOfItsOwnLane() throws Exception {
        ForceCounting files = new ForceCounting();
        try (WriteAheadLog log = WriteAheadLog.open(new LogConfig(dir, 1, FlushPolicy.Kind.syncEach(), false,
                LogFixture.BLOCK, 4, 2, files))) {
            log.append("a", new byte[] {1});
            log.append("b", new byte[] {2});
            Path fileOfA = log.topic("a").chain()[0].file.io.path();
            Path fileOfB = log.topic("b").chain()[0].file.io.path();
            files.hold(fileOfB);
            CompletableFuture<Void> appendToB = CompletableFuture.runAsync(() -> {
                try {
                    log.append("b", new byte[] {3});
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            files.heldLatch.await(); // b's fdatasync has started and does not end until released
            int aBefore = files.forcesOf(fileOfA);
            for (int i = 0; i < 20; i++) {
                log.append("a", new byte[] {4}); // would wait for b's force if a's flush touched b's file
            }
            assertEquals(aBefore + 20, files.forcesOf(fileOfA), "one fdatasync of a's file per append to a");
            assertFalse(appendToB.isDone(), "b's append returned before its fdatasync ended");
            files.release.countDown();
            appendToB.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void afterReopenAnAppendIntoABlockFromBeforeIsForcedWhereverItsFileWentAtOpen() throws IOException {
        ForceCounting files = new ForceCounting();
        LogConfig config = new LogConfig(dir, 1, FlushPolicy.Kind.syncEach(), false, LogFixture.BLOCK, 4, 2, files);
        List<String> topics = List.of("a", "b", "c", "d");
        try (WriteAheadLog log = WriteAheadLog.open(config)) {
            for (String topic : topics) {
                log.append(topic, topic.getBytes(StandardCharsets.UTF_8));
            }
        }
        // At open the files that have room are handed to lanes again, and the topics take lanes in
        // turn: a topic's active block may now sit in a file another lane fills.
        try (WriteAheadLog log = WriteAheadLog.open(config)) {
            for (String topic : topics) {
                Path file = log.topic(topic).chain()[0].file.io.path();
                int before = files.forcesOf(file);
                log.append(topic, new byte[] {9}); // into the block written before the reopen
                assertEquals(before + 1, files.forcesOf(file), topic + "'s append was acknowledged without a force "
                        + "of the file it went to");
            }
        }
    }

    /** Counts the forces of each file, by path; holds the forces of one file until released. */
    private static final class ForceCounting implements DataFiles {
        private final DataFiles inner = TestBackend.current().dataFiles();
        private final Map<Path, AtomicInteger> forces = new ConcurrentHashMap<>();
        private volatile Path held;
        final CountDownLatch heldLatch = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void hold(Path file) {
            held = file;
        }

        int forcesOf(Path file) {
            AtomicInteger count = forces.get(file);
            return count == null ? 0 : count.get();
        }

        @Override
        public DataFile create(Path path, long length) throws IOException {
            return counted(inner.create(path, length));
        }

        @Override
        public DataFile open(Path path) throws IOException {
            return counted(inner.open(path));
        }

        private DataFile counted(DataFile file) {
            return new ForwardingDataFile(file) {
                @Override
                public void force() throws IOException {
                    forces.computeIfAbsent(path(), p -> new AtomicInteger()).incrementAndGet();
                    if (path().equals(held)) {
                        heldLatch.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted while held", e);
                        }
                    }
                    super.force();
                }
            };
        }
    }
}
