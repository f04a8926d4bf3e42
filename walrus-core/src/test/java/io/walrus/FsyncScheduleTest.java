package io.walrus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.Payloads;
import io.walrus.testing.TestBackend;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the schedule, close() makes every acknowledged append durable: after close and reopen,
 * everything written, single and batch, across blocks and files, reads back exactly.
 */
class FsyncScheduleTest {
    @TempDir
    Path dir;

    /** Every schedule on the backend under test ({@link TestBackend}: make test runs each path). */
    static Stream<Arguments> schedulesAndBackends() {
        TestBackend backend = TestBackend.current();
        return Stream.of(
                Arguments.of("syncEach()", FsyncSchedule.syncEach(), backend),
                Arguments.of("milliseconds(5)", FsyncSchedule.milliseconds(5), backend),
                Arguments.of("noFsync()", FsyncSchedule.noFsync(), backend));
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("schedulesAndBackends")
    void everythingAppendedIsReadableAfterCloseAndReopen(String name, FsyncSchedule schedule, TestBackend backend)
            throws IOException {
        List<byte[]> expected = new ArrayList<>();
        try (Walrus wal = TestWals.small(dir, backend.storageBackend()).fsync(schedule).open()) {
            for (int i = 0; i < 300; i++) {
                byte[] entry = Payloads.entry("t", i);
                wal.appendForTopic("t", entry);
                expected.add(entry);
                if (i % 100 == 50) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int j = 0; j < 150; j++) {
                        batch.add(Payloads.batchEntry("t", i, j));
                    }
                    wal.batchAppendForTopic("t", batch);
                    expected.addAll(batch);
                }
            }
        }
        try (Walrus wal = TestWals.small(dir, backend.storageBackend()).fsync(schedule).open()) {
            int at = 0;
            Optional<Entry> next;
            while ((next = wal.readNext("t", true)).isPresent()) {
                if (at >= expected.size()) {
                    fail(name + ": more entries than the " + expected.size() + " written: "
                            + Payloads.describe(next.get().data()));
                }
                assertArrayEquals(expected.get(at), next.get().data(), name + ": entry " + at);
                at++;
            }
            assertEquals(expected.size(), at, name + ": entries recovered");
        }
    }
}
