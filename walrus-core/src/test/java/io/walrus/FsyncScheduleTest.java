package io.walrus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.Payloads;
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

    static Stream<Arguments> schedulesAndBackends() {
        List<Arguments> all = new ArrayList<>();
        for (StorageBackend backend : StorageBackend.values()) {
            all.add(Arguments.of("syncEach()", FsyncSchedule.syncEach(), backend));
            all.add(Arguments.of("milliseconds(5)", FsyncSchedule.milliseconds(5), backend));
            all.add(Arguments.of("noFsync()", FsyncSchedule.noFsync(), backend));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("schedulesAndBackends")
    void everythingAppendedIsReadableAfterCloseAndReopen(String name, FsyncSchedule schedule, StorageBackend backend)
            throws IOException {
        List<byte[]> expected = new ArrayList<>();
        try (Walrus wal = TestWals.small(dir, backend).fsync(schedule).open()) {
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
        try (Walrus wal = TestWals.small(dir, backend).fsync(schedule).open()) {
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
