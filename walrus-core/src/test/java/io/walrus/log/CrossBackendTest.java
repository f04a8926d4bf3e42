package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.walrus.sync.FlushPolicy;
import io.walrus.testing.TestBackend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three I/O paths write the same bytes: files written by each are read, recovered and appended
 * to by each other, after a clean close and after an unclean one.
 */
class CrossBackendTest {
    @TempDir
    Path dir;

    static Stream<Arguments> writerAndReader() {
        List<Arguments> pairs = new ArrayList<>();
        for (TestBackend writer : TestBackend.values()) {
            for (TestBackend reader : TestBackend.values()) {
                pairs.add(Arguments.of(writer, reader, true));
                pairs.add(Arguments.of(writer, reader, false));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "written with {0}, read with {1}, clean close {2}")
    @MethodSource("writerAndReader")
    void filesWrittenOnOnePathReadBackOnEveryOther(TestBackend writer, TestBackend reader, boolean clean)
            throws IOException {
        List<String> expected = new ArrayList<>();
        try (WriteAheadLog log = open(writer)) {
            for (int i = 0; i < 150; i++) {
                String text = "single-" + i + "-" + "s".repeat(i * 37 % 900);
                expected.add(text);
                log.append("t", bytes(text));
                if (i % 30 == 0) {
                    byte[][] batch = new byte[40][];
                    for (int b = 0; b < batch.length; b++) {
                        String entry = "batch-" + i + "-" + b + "-" + "b".repeat(b * 101 % 3000);
                        expected.add(entry);
                        batch[b] = bytes(entry);
                    }
                    log.batchAppend("t", batch);
                }
            }
        }
        if (!clean) {
            LogFixture.forgetCleanShutdown(dir);
        }
        try (WriteAheadLog log = open(reader)) {
            assertEquals(expected, LogFixture.readAll(log, "t"));
            log.append("t", bytes("appended by " + reader));
            log.batchAppend("t", new byte[][] {bytes("batch by " + reader)});
        }
        try (WriteAheadLog log = open(writer)) {
            assertEquals(List.of("appended by " + reader, "batch by " + reader), LogFixture.readAll(log, "t"));
        }
    }

    private WriteAheadLog open(TestBackend backend) throws IOException {
        return LogFixture.open(dir, backend.dataFiles(), FlushPolicy.Kind.syncEach(), 4);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
