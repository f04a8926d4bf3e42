package io.walrus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.Walrus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    private static final int BLOCK = 64 << 10;
    private static final Pattern WHERE = Pattern.compile(
            "\"file\":\"([0-9]+\\.wal)\",\"block\":([0-9]+),\"offset\":([0-9]+),\"length\":([0-9]+)");

    @TempDir
    Path dir;

    @Test
    void anIntactDirectoryIsExitZero() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 300);
        }
        Cli.Run run = Cli.run(Cli.args(dir, "verify"));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("1 topics; recovery keeps 300 entries"), run.toString());
        assertTrue(run.out().trim().endsWith("OK"), run.toString());
    }

    @Test
    void aFlippedPayloadByteIsReportedAtItsEntryAndExitsOne() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 300);
            Logs.append(wal, "audit", 10);
        }
        // Where entry 57 lies, as a user finds out: dump it as JSON.
        Cli.Run dump = Cli.run(Cli.args(dir, "dump", "--topic", "orders", "--from", "57", "--limit", "1",
                "--format", "json"));
        Matcher where = WHERE.matcher(dump.out());
        assertTrue(where.find(), dump.toString());
        String file = where.group(1);
        int block = Integer.parseInt(where.group(2));
        int offset = Integer.parseInt(where.group(3));
        flipByte(dir.resolve(file), 4096L + (long) block * BLOCK + offset + 24 + Integer.parseInt(where.group(4)) / 2);

        Cli.Run run = Cli.run(Cli.args(dir, "verify"));
        assertEquals(1, run.exit(), run.toString());
        String expectedWhere = "DAMAGE topic 'orders' entry 57, file " + file + " block " + block + " offset " + offset;
        assertTrue(run.out().contains(expectedWhere), "expected '" + expectedWhere + "' in\n" + run);
        assertTrue(run.out().contains("entry 57 does not verify: checksum mismatch"), run.toString());
        assertTrue(run.out().contains("recovery keeps entries 0 to 56 and drops 242 intact entries after it (58 to 299)"),
                run.toString());
        assertTrue(run.out().contains("DAMAGED: 1 problem"), run.toString());
        assertTrue(!run.out().contains("topic 'audit'"), "the other topic is intact: " + run);

        Cli.Run json = Cli.run(Cli.args(dir, "verify", "--json"));
        assertEquals(1, json.exit(), json.toString());
        assertTrue(json.out().contains("\"severity\":\"DAMAGE\",\"topic\":\"orders\",\"file\":\"" + file + "\",\"block\":"
                + block + ",\"offset\":" + offset + ",\"sequence\":57"), json.toString());
    }

    @Test
    void aTornLastEntryAfterACrashIsANoteNotDamage() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 20);
        }
        Cli.Run dump = Cli.run(Cli.args(dir, "dump", "--topic", "orders", "--from", "19", "--format", "json"));
        Matcher where = WHERE.matcher(dump.out());
        assertTrue(where.find(), dump.toString());
        long position = 4096L + Integer.parseInt(where.group(2)) * (long) BLOCK + Integer.parseInt(where.group(3));
        zero(dir.resolve(where.group(1)), position + 24, Integer.parseInt(where.group(4)));
        Files.delete(dir.resolve("CLEAN")); // as a crash leaves it

        Cli.Run run = Cli.run(Cli.args(dir, "verify"));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("NOTE   topic 'orders' entry 19"), run.toString());
        assertTrue(run.out().contains("torn end"), run.toString());
        assertTrue(run.out().contains("recovery keeps entries 0 to 18"), run.toString());

        Files.createFile(dir.resolve("CLEAN")); // the same bytes after a clean close cannot be a torn write
        Cli.Run clean = Cli.run(Cli.args(dir, "verify"));
        assertEquals(1, clean.exit(), clean.toString());
        assertTrue(clean.out().contains("DAMAGE topic 'orders' entry 19"), clean.toString());
    }

    @Test
    void aDamagedFileHeaderIsDamage() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 1000); // several data files
        }
        flipByte(dir.resolve("00000000000000000001.wal"), 13);
        Cli.Run run = Cli.run(Cli.args(dir, "verify"));
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().contains("file 00000000000000000001.wal"), run.toString());
        assertTrue(run.out().contains("header does not verify"), run.toString());
    }

    @Test
    void anUnreadableDirectoryIsExitTwo() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        Cli.Run run = Cli.run(Cli.args(notADirectory, "verify"));
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("walrus verify: "), run.toString());
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            channel.write(b, position);
        }
    }

    private static void zero(Path file, long position, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(length), position);
        }
    }
}
