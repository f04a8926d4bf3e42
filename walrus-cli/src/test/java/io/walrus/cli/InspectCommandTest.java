package io.walrus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.Walrus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;

    private void writeOrdersAndAudit() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 300);
            Logs.append(wal, "audit", 5);
            for (int i = 0; i < 100; i++) {
                wal.readNext("orders", true).orElseThrow();
            }
        }
    }

    @Test
    void tablesShowFilesAndPerTopicEntriesCursorAndLag() throws IOException {
        writeOrdersAndAudit();
        Cli.Run run = Cli.run(Cli.args(dir, "inspect"));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("state      closed cleanly"), run.toString());
        assertTrue(run.out().contains("00000000000000000000.wal"), run.toString());
        String orders = run.lines().stream().filter(l -> l.startsWith("orders ")).findFirst().orElseThrow();
        // TOPIC BLOCKS ENTRIES FIRST NEXT BYTES CURSOR LAG
        String[] cells = orders.trim().split("\\s{2,}");
        assertEquals("300", cells[2], orders);
        assertEquals("0", cells[3], orders);
        assertEquals("300", cells[4], orders);
        assertEquals("100", cells[6], orders);
        assertEquals("200", cells[7], orders);
        String audit = run.lines().stream().filter(l -> l.startsWith("audit ")).findFirst().orElseThrow();
        String[] auditCells = audit.trim().split("\\s{2,}");
        assertEquals(List.of("-", "5"), List.of(auditCells[6], auditCells[7]), "no cursor, so all 5 are lag: " + audit);
    }

    @Test
    void jsonHasTheSameNumbers() throws IOException {
        writeOrdersAndAudit();
        Cli.Run run = Cli.run(Cli.args(dir, "inspect", "--json"));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("{\"directory\":"), run.out());
        assertTrue(run.out().contains("\"topic\":\"orders\""), run.out());
        assertTrue(run.out().contains("\"entries\":300,\"firstSequence\":0,\"nextSequence\":300"), run.out());
        assertTrue(run.out().contains("\"cursor\":100,\"lag\":200"), run.out());
        assertTrue(run.out().contains("\"cleanShutdown\":true"), run.out());
    }

    @Test
    void aDataDirectoryWithKeyedInstancesNamesThem() throws IOException {
        try (Walrus wal = Logs.open(dir.resolve("tenant-1"))) {
            Logs.append(wal, "t", 1);
        }
        Cli.Run run = Cli.run(Cli.args(dir, "inspect"));
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("tenant-1") && run.err().contains("--key"), run.toString());
        Cli.Run keyed = Cli.run(Cli.args(dir, "inspect", "--key", "tenant-1"));
        assertEquals(0, keyed.exit(), keyed.toString());
    }

    @Test
    void aMissingDirectoryIsExitTwoWithAMessage() {
        Cli.Run run = Cli.run(Cli.args(dir.resolve("nope"), "inspect"));
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("walrus inspect: no such directory: "), run.toString());
        assertTrue(Files.notExists(dir.resolve("nope")), "inspect must not create it");
    }
}
