package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.walrus.testing.TestBackend;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
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
}
