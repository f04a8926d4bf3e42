package io.walrus.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateSnapshotFileTest {
    @TempDir
    Path dir;

    @Test
    void stateWithCursorsAndDeadEntriesReadsBackAsWritten() throws IOException {
        ReplicatedState state = new ReplicatedState();
        state.addApplied("orders", 10);
        state.addApplied("audit", 3);
        state.createConsumer("billing");
        state.moveCursor("billing", "orders", 4);
        state.moveCursor(ReplicatedState.DEFAULT_CONSUMER, "audit", 2);
        state.deadToAdd("orders").add(5);
        state.deadToAdd("orders").add(6);
        state.deadToAdd("orders").add(9);
        Path file = dir.resolve("snapshot.1_20");
        StateSnapshotFile.write(state, file);

        ReplicatedState read = StateSnapshotFile.read(file);
        assertEquals(Map.of("orders", 10L, "audit", 3L), read.appliedEntries());
        assertEquals(4, read.cursor("billing", "orders"));
        assertEquals(2, read.cursor(ReplicatedState.DEFAULT_CONSUMER, "audit"));
        assertArrayEquals(new long[]{5, 7, 9, 10}, read.dead("orders").ranges());
        assertEquals(0, read.dead("audit").count());
    }

    @Test
    void aDamagedFileIsRefused() throws IOException {
        ReplicatedState state = new ReplicatedState();
        state.addApplied("orders", 10);
        state.deadToAdd("orders").add(1);
        Path file = dir.resolve("snapshot.1_20");
        StateSnapshotFile.write(state, file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1;
        Files.write(file, bytes);
        IOException refused = assertThrows(IOException.class, () -> StateSnapshotFile.read(file));
        assertTrue(refused.getMessage().contains("fails its checksum"), refused.getMessage());
    }
}
