package io.walrus.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.Entry;
import io.walrus.Walrus;
import io.walrus.testing.ChildJvm;
import io.walrus.testing.LockProbe;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendCommandTest {
    @TempDir
    Path dir;

    @Test
    void eachLineBecomesAnEntryInTheExistingLayout() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 2);
        }
        Cli.Run run = Cli.run("one\n\nthree".getBytes(UTF_8), Cli.args(dir, "append", "--topic", "orders"));
        assertEquals(0, run.exit(), run.toString());
        assertEquals("appended 3 entries to 'orders' (entries 2 to 4)\n", run.out());
        try (Walrus wal = Logs.open(dir)) {
            List<Entry> entries = wal.batchReadForTopic("orders", Long.MAX_VALUE, false);
            assertEquals(List.of(Logs.text("orders", 0), Logs.text("orders", 1), "one", "", "three"),
                    entries.stream().map(e -> new String(e.data(), UTF_8)).toList());
        }
        // The tool reused the 64 KiB blocks of the directory rather than preallocating a 1 GB file.
        assertTrue(Cli.run(Cli.args(dir, "inspect")).out().contains("1 data files, 1 of 4 blocks used"));
    }

    @Test
    void wholeInputIsOneEntryAndBatchesAreAtomic() throws IOException {
        byte[] blob = new byte[200_000];
        new java.util.Random(7).nextBytes(blob);
        assertEquals(0, Cli.run(blob, Cli.args(dir, "append", "--topic", "blob", "--whole")).exit());
        Cli.Run batched = Cli.run("a\nb\nc\nd\ne\n".getBytes(UTF_8),
                Cli.args(dir, "append", "--topic", "letters", "--batch", "2"));
        assertEquals("appended 5 entries to 'letters' (entries 0 to 4)\n", batched.out());
        try (Walrus wal = TestWals.small(dir).open()) {
            assertArrayEquals(blob, wal.readNext("blob", false).orElseThrow().data());
            assertEquals(5, wal.batchReadForTopic("letters", Long.MAX_VALUE, false).size());
        }
    }

    @Test
    void aDirectoryOpenInAnotherProcessIsRefusedWithItsPidAndStillReadable() throws IOException {
        try (ChildJvm holder = ChildJvm.start(LockProbe.class, dir.toString(), "hold")) {
            holder.awaitLineStartingWith("OPENED");
            Cli.Run run = Cli.run("x\n".getBytes(UTF_8), Cli.args(dir, "append", "--topic", "held"));
            assertEquals(2, run.exit(), run.toString());
            assertTrue(run.err().startsWith("walrus append: cannot append: "), run.toString());
            assertTrue(run.err().contains("locked by another process (pid " + holder.pid()), run.toString());
            assertTrue(run.err().contains("Only one process may write to a directory"), run.toString());

            Cli.Run inspect = Cli.run(Cli.args(dir, "inspect"));
            assertEquals(0, inspect.exit(), inspect.toString());
            assertTrue(inspect.out().contains("open in process " + holder.pid()), inspect.toString());
            Cli.Run dump = Cli.run(Cli.args(dir, "dump", "--topic", "held"));
            assertEquals("0  written by the holder\n", dump.out(), dump.toString());
        }
    }
}
