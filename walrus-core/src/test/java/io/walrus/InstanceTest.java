package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walrus.testing.ChildJvm;
import io.walrus.testing.EnvOpener;
import io.walrus.testing.LockProbe;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening, locking, closing, where files go, and what survives a close. */
class InstanceTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ one instance per directory

    @Test
    void secondOpenOfAnOpenDirectoryInTheSameProcessIsRefusedNamingTheLock() throws IOException {
        try (Walrus first = open()) {
            first.appendForTopic("t", bytes("kept"));
            IOException refused = assertThrows(IOException.class, this::open);
            assertTrue(String.valueOf(refused.getMessage()).toLowerCase().contains("lock"),
                    "the message should say the directory is locked: " + refused.getMessage());
            // the refused open disturbed nothing
            first.appendForTopic("t", bytes("still works"));
            assertEquals(List.of("kept", "still works"), readAll(first, "t"));
        }
        try (Walrus again = open()) {
            again.appendForTopic("t", bytes("after close"));
            assertEquals(List.of("after close"), readAll(again, "t"));
        }
    }

    @Test
    void openFromAnotherProcessIsRefusedNamingTheHoldingProcess() throws IOException {
        try (Walrus held = open()) {
            held.appendForTopic("t", bytes("mine"));
            try (ChildJvm child = ChildJvm.start(LockProbe.class, dir.toString(), "try")) {
                String line = child.awaitLine(l -> l.startsWith("REFUSED") || l.equals("OPENED"), "REFUSED or OPENED");
                assertTrue(line.startsWith("REFUSED "), "a second process opened a directory this one holds"
                        + child.diagnostics());
                String pid = Long.toString(ProcessHandle.current().pid());
                assertTrue(Pattern.compile("(?<![0-9])" + pid + "(?![0-9])").matcher(line).find(),
                        "the refusal should name the holder, process " + pid + ": " + line);
                child.awaitSuccessfulExit();
            }
            assertEquals(List.of("mine"), readAll(held, "t"));
        }
    }

    @Test
    void directoryOfAKilledHolderOpensAgain() throws IOException {
        try (ChildJvm child = ChildJvm.start(LockProbe.class, dir.toString(), "hold")) {
            child.awaitLine("OPENED"::equals, "OPENED");
            child.killAndDrain();
        }
        try (Walrus wal = open()) {
            wal.appendForTopic("t", bytes("after the holder died"));
            assertEquals(List.of("after the holder died"), readAll(wal, "t"));
        }
    }

    // ------------------------------------------------------------------ closing

    @Test
    void closeIsIdempotent() throws IOException {
        Walrus wal = open();
        wal.appendForTopic("t", bytes("x"));
        wal.close();
        wal.close();
        wal.close();
        try (Walrus reopened = open()) {
            assertEquals(List.of("x"), readAll(reopened, "t"));
        }
    }

    @Test
    void everyMethodThrowsIllegalStateExceptionAfterClose() throws IOException {
        Walrus wal = open();
        wal.appendForTopic("t", bytes("x"));
        wal.close();
        assertAll(
                () -> assertThrows(IllegalStateException.class, () -> wal.appendForTopic("t", bytes("y"))),
                () -> assertThrows(IllegalStateException.class, () -> wal.batchAppendForTopic("t", List.of(bytes("y")))),
                () -> assertThrows(IllegalStateException.class, () -> wal.readNext("t", true)),
                () -> assertThrows(IllegalStateException.class, () -> wal.readNext("t", false)),
                () -> assertThrows(IllegalStateException.class, () -> wal.readNext("unknown", false)),
                () -> assertThrows(IllegalStateException.class, () -> wal.batchReadForTopic("t", 100, true)),
                () -> assertThrows(IllegalStateException.class, () -> wal.batchReadForTopic("t", 100, false)),
                () -> assertThrows(IllegalStateException.class, wal::directory));
        try (Walrus reopened = open()) {
            assertEquals(List.of("x"), readAll(reopened, "t"), "calls after close wrote nothing and moved no cursor");
        }
    }

    // ------------------------------------------------------------------ where files go

    @ParameterizedTest(name = "key \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "a/b c      | a_b_c",
            "team.one-2 | team.one-2",
            "naïve      | na_ve",
            "///        | ns_",
            "..         | ns_",
            "' '        | ns_"})
    void keyedInstanceKeepsItsFilesUnderTheSanitisedKey(String key, String expectedName) throws IOException {
        String name = expectedName.equals("ns_") ? "ns_" + Long.toHexString(fnv1a64(key)) : expectedName;
        Path root = dir.resolve("root");
        try (Walrus wal = TestWals.small(root).key(key).open()) {
            assertEquals(root.resolve(name).toAbsolutePath(), wal.directory().toAbsolutePath());
            wal.appendForTopic("t", bytes("keyed"));
        }
        assertEquals(List.of(name), list(root), "the data dir holds only the key's directory");
        assertFalse(list(root.resolve(name)).isEmpty(), "the key's directory holds the files");
        try (Walrus wal = TestWals.small(root).key(key).open()) {
            assertEquals(List.of("keyed"), readAll(wal, "t"));
        }
    }

    @Test
    void instancesUnderDifferentKeysAreIndependent() throws IOException {
        try (Walrus a = TestWals.small(dir).key("a").open(); Walrus b = TestWals.small(dir).key("b").open()) {
            a.appendForTopic("same", bytes("from a"));
            b.appendForTopic("same", bytes("from b 1"));
            b.appendForTopic("same", bytes("from b 2"));
            assertEquals(List.of("from a"), readAll(a, "same"));
            assertEquals(List.of("from b 1", "from b 2"), readAll(b, "same"));
        }
    }

    @Test
    void environmentChoosesDataDirAndKeyForOpen() throws IOException {
        Path root = dir.resolve("from-env");
        try (ChildJvm child = ChildJvm.start(EnvOpener.class,
                Map.of("WALRUS_DATA_DIR", root.toString(), "WALRUS_INSTANCE_KEY", "team/a b"),
                "open", "t", "via env")) {
            String line = child.awaitLineStartingWith("DIR ");
            assertEquals(root.resolve("team_a_b").toAbsolutePath(), Path.of(line.substring(4)).toAbsolutePath());
            child.awaitLine("CLOSED"::equals, "CLOSED");
            assertEquals(0, child.awaitExit(), "the child exits once main returns: close stopped every thread"
                    + child.diagnostics());
        }
        try (Walrus wal = TestWals.small(root).key("team/a b").open()) {
            assertEquals(List.of("via env"), readAll(wal, "t"));
        }
    }

    @Test
    void environmentDataDirWithoutKeyHoldsTheFilesItself() throws IOException {
        Path root = dir.resolve("plain");
        try (ChildJvm child = ChildJvm.start(EnvOpener.class, Map.of("WALRUS_DATA_DIR", root.toString()),
                "open", "t", "no key")) {
            String line = child.awaitLineStartingWith("DIR ");
            assertEquals(root.toAbsolutePath(), Path.of(line.substring(4)).toAbsolutePath());
            child.awaitSuccessfulExit();
        }
        String inheritedKey = System.getenv("WALRUS_INSTANCE_KEY");
        assumeTrue(inheritedKey == null || inheritedKey.isEmpty(), "this JVM has WALRUS_INSTANCE_KEY set");
        try (Walrus wal = TestWals.small(root).open()) {
            assertEquals(root.toAbsolutePath(), wal.directory().toAbsolutePath());
            assertEquals(List.of("no key"), readAll(wal, "t"));
        }
    }

    @Test
    void openForKeyUsesTheEnvironmentDataDir() throws IOException {
        Path root = dir.resolve("for-key");
        try (ChildJvm child = ChildJvm.start(EnvOpener.class,
                Map.of("WALRUS_DATA_DIR", root.toString(), "WALRUS_INSTANCE_KEY", "ignored"),
                "openForKey", "k 2", "t", "keyed via env dir")) {
            String line = child.awaitLineStartingWith("DIR ");
            assertEquals(root.resolve("k_2").toAbsolutePath(), Path.of(line.substring(4)).toAbsolutePath(),
                    "an explicit key wins over WALRUS_INSTANCE_KEY");
            child.awaitSuccessfulExit();
        }
        try (Walrus wal = TestWals.small(root).key("k 2").open()) {
            assertEquals(List.of("keyed via env dir"), readAll(wal, "t"));
        }
    }

    // ------------------------------------------------------------------ what survives

    @Test
    void topicsPersistAcrossCloseAndReopen() throws IOException {
        try (Walrus wal = open()) {
            for (int i = 0; i < 3; i++) {
                wal.appendForTopic("one", bytes("one-" + i));
            }
            wal.appendForTopic("two", bytes("two-0"));
            wal.batchAppendForTopic("three", List.of(bytes("three-0"), bytes("three-1")));
        }
        try (Walrus wal = open()) {
            assertEquals(List.of("one-0", "one-1", "one-2"), readAll(wal, "one"));
            assertEquals(List.of("two-0"), readAll(wal, "two"));
            wal.appendForTopic("two", bytes("two-1"));
            wal.appendForTopic("one", bytes("one-3"));
        }
        try (Walrus wal = open()) {
            assertEquals(List.of("one-3"), readAll(wal, "one"));
            assertEquals(List.of("two-1"), readAll(wal, "two"));
            assertEquals(List.of("three-0", "three-1"), readAll(wal, "three"));
        }
    }

    @Test
    void unknownTopicReadsAsEmpty() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic("known", bytes("x"));
            assertEquals(Optional.empty(), wal.readNext("unknown", true));
            assertEquals(Optional.empty(), wal.readNext("unknown", false));
            assertEquals(List.of(), wal.batchReadForTopic("unknown", 100, true));
            assertEquals(List.of(), wal.batchReadForTopic("unknown", 0, false));
        }
        try (Walrus wal = open()) {
            assertEquals(Optional.empty(), wal.readNext("unknown", true));
            assertEquals(List.of(), wal.batchReadForTopic("unknown", 100, true));
            assertEquals(List.of("x"), readAll(wal, "known"));
        }
    }

    @Test
    void consumedTopicSeesEntriesAppendedAfterwards() throws IOException {
        try (Walrus wal = open()) {
            wal.appendForTopic("t", bytes("a"));
            assertEquals(List.of("a"), readAll(wal, "t"));
            assertEquals(Optional.empty(), wal.readNext("t", true));
            wal.appendForTopic("t", bytes("b"));
            assertEquals(Optional.of("b"), wal.readNext("t", false).map(e -> text(e.data())));
            assertEquals(List.of("b"), readAll(wal, "t"));
        }
    }

    @ParameterizedTest(name = "written with {0}, read with {1}")
    @CsvSource({"FD, MMAP", "MMAP, FD", "MMAP, MMAP"})
    void dataWrittenWithOneBackendReadsBackWithAnother(StorageBackend writer, StorageBackend reader) throws IOException {
        List<String> expected = new ArrayList<>();
        try (Walrus wal = TestWals.small(dir, writer).fsync(FsyncSchedule.noFsync()).open()) {
            for (int i = 0; i < 400; i++) {
                String text = i + ":" + "x".repeat(i * 13 % 1500);
                expected.add(text);
                wal.appendForTopic("t", bytes(text));
            }
            assertEquals(expected.subList(0, 100), readSome(wal, "t", 100), "read by the writing instance");
        }
        try (Walrus wal = TestWals.small(dir, reader).open()) {
            assertEquals(expected.subList(100, 400), readAll(wal, "t"));
        }
    }

    // ------------------------------------------------------------------ helpers

    private Walrus open() throws IOException {
        return TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
    }

    private static List<String> readAll(Walrus wal, String topic) throws IOException {
        return readSome(wal, topic, Integer.MAX_VALUE);
    }

    private static List<String> readSome(Walrus wal, String topic, int most) throws IOException {
        List<String> texts = new ArrayList<>();
        Optional<Entry> next;
        while (texts.size() < most && (next = wal.readNext(topic, true)).isPresent()) {
            texts.add(text(next.get().data()));
        }
        return texts;
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, written out here so the test does not trust the code it checks. */
    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String text(byte[] data) {
        return new String(data, UTF_8);
    }
}
