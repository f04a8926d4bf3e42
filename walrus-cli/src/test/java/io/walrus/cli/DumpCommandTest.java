package io.walrus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.Walrus;
import io.walrus.testing.Payloads;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpCommandTest {
    @TempDir
    Path dir;

    @Test
    void fromAndLimitPickTheEntriesAcrossBlocksAndFiles() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 600);
        }
        Cli.Run run = Cli.run(Cli.args(dir, "dump", "--topic", "orders", "--from", "250", "--limit", "300"));
        assertEquals(0, run.exit(), run.toString());
        List<String> lines = run.lines();
        assertEquals(300, lines.size());
        for (int i = 0; i < 300; i++) {
            assertEquals((250 + i) + "  " + Logs.text("orders", 250 + i), lines.get(i));
        }
    }

    @Test
    void dumpMovesNoCursor() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 10);
            wal.readNext("orders", true).orElseThrow();
        }
        assertEquals(10, Cli.run(Cli.args(dir, "dump", "--topic", "orders")).lines().size());
        assertEquals(10, Cli.run(Cli.args(dir, "dump", "--topic", "orders")).lines().size());
        try (Walrus wal = Logs.open(dir)) {
            assertArrayEquals(Payloads.entry("orders", 1), wal.readNext("orders", false).orElseThrow().data());
        }
    }

    @Test
    void binaryPayloadsRoundTripThroughJsonAndAreEscapedInText() throws IOException {
        byte[] binary = {0, 1, (byte) 0xff, '\n', 'a', '\\'};
        try (Walrus wal = Logs.open(dir)) {
            wal.appendForTopic("bin", binary);
            wal.appendForTopic("bin", "tab\there".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Cli.Run text = Cli.run(Cli.args(dir, "dump", "--topic", "bin"));
        assertEquals(List.of("0  \\x00\\x01\\xff\\x0aa\\\\", "1  tab\\there"), text.lines());

        Cli.Run json = Cli.run(Cli.args(dir, "dump", "--topic", "bin", "--format", "json", "--limit", "1"));
        Matcher base64 = Pattern.compile("\"base64\":\"([^\"]*)\"").matcher(json.out());
        assertTrue(base64.find(), json.toString());
        assertArrayEquals(binary, Base64.getDecoder().decode(base64.group(1)));
        assertTrue(json.out().contains("\"text\":null"), json.toString());

        Cli.Run hex = Cli.run(Cli.args(dir, "dump", "--topic", "bin", "--format", "hex", "--limit", "1"));
        assertTrue(hex.out().contains("00 01 ff 0a 61 5c"), hex.toString());
        assertTrue(hex.out().startsWith("entry 0, 6 bytes, file 00000000000000000000.wal block 0 offset "), hex.toString());
    }

    @Test
    void anUnknownTopicIsExitTwo() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "orders", 1);
        }
        Cli.Run run = Cli.run(Cli.args(dir, "dump", "--topic", "missing"));
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("no topic 'missing'"), run.toString());
    }
}
