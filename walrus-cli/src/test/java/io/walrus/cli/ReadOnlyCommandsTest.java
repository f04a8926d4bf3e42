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

/** inspect, verify, dump and tail change nothing, even in a directory a recovery would write to. */
class ReadOnlyCommandsTest {
    @TempDir
    Path dir;

    @Test
    void readOnlyCommandsLeaveEveryFileAsItWas() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 400);
            wal.readNext("orders", true).orElseThrow();
        }
        // As a crash leaves it: no CLEAN marker, so an open would seal blocks and write its decisions.
        Files.delete(dir.resolve("CLEAN"));
        List<String> before = Logs.snapshot(dir);
        for (String[] args : List.of(
                Cli.args(dir, "inspect"), Cli.args(dir, "inspect", "--json"), Cli.args(dir, "verify"),
                Cli.args(dir, "dump", "--topic", "orders"), Cli.args(dir, "tail", "--topic", "orders"))) {
            Cli.Run run = Cli.run(args);
            assertEquals(0, run.exit(), String.join(" ", args) + ": " + run);
        }
        assertEquals(before, Logs.snapshot(dir));
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : List.of("inspect", "verify", "dump", "tail", "append")) {
            Cli.Run run = Cli.run(command, "--help");
            assertEquals(0, run.exit(), run.toString());
            assertTrue(run.out().startsWith("Usage: walrus " + command), run.toString());
            int at = run.out().indexOf("\nExamples:\n");
            assertTrue(at > 0, run.toString());
            String examples = run.out().substring(at);
            assertTrue(examples.contains("walrus " + command + " ./wal_files"), run.toString());
        }
        Cli.Run top = Cli.run("--help");
        assertTrue(top.out().contains("Exit status: 0 done; 1 verify found damage; 2 could not do it."), top.toString());
    }
}
