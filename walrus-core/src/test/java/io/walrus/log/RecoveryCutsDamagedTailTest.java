package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.walrus.format.FormatDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage real files the way crashes and disks do, then reopen: everything before the damage reads
 * back intact, nothing damaged is ever returned, and open() never throws.
 */
class RecoveryCutsDamagedTailTest {
    private static final String TOPIC = "orders";
    private static final int ENTRIES = 20;
    private static final int PAYLOAD = 40; // frame = 64 bytes: no padding, so every byte is covered

    @TempDir
    Path temp;
    private Path pristine;
    private long firstEntryPosition;
    private Path dataFile;

    @BeforeEach
    void writeLog() throws IOException {
        pristine = temp.resolve("pristine");
        try (WriteAheadLog log = LogFixture.open(pristine)) {
            for (int i = 0; i < ENTRIES; i++) {
                log.append(TOPIC, payload(i));
            }
            Block block = log.topic(TOPIC).chain()[0];
            firstEntryPosition = block.fileOffset + block.headerLength;
            dataFile = block.file.io.path().getFileName();
        }
    }

    @Test
    void lastEntryTornAtEveryByteOffsetIsCutAndTheRestSurvives() throws IOException {
        long last = entryPosition(ENTRIES - 1);
        for (int keep = 0; keep < FormatDescriptor.ENTRY_HEADER_SIZE + PAYLOAD; keep++) {
            Path copy = copyOfPristine("torn-" + keep);
            zero(copy.resolve(dataFile), last + keep, FormatDescriptor.ENTRY_HEADER_SIZE + PAYLOAD - keep);
            LogFixture.forgetCleanShutdown(copy);
            assertEquals(expected(ENTRIES - 1), reopenAndReadAll(copy), "torn after " + keep + " bytes");
        }
    }

    @Test
    void fileTruncatedInsideTheLastEntryKeepsEverythingBeforeIt() throws IOException {
        long last = entryPosition(ENTRIES - 1);
        for (int keep = 0; keep < FormatDescriptor.ENTRY_HEADER_SIZE + PAYLOAD; keep += 7) {
            Path copy = copyOfPristine("truncated-" + keep);
            try (FileChannel channel = FileChannel.open(copy.resolve(dataFile), StandardOpenOption.WRITE)) {
                channel.truncate(last + keep);
            }
            LogFixture.forgetCleanShutdown(copy);
            assertEquals(expected(ENTRIES - 1), reopenAndReadAll(copy), "truncated after " + keep + " bytes");
        }
    }

    @Test
    void bitFlipAnywhereInAnEntryCutsTheLogJustBeforeThatEntry() throws IOException {
        int damaged = 7;
        long position = entryPosition(damaged);
        for (int bit = 0; bit < (FormatDescriptor.ENTRY_HEADER_SIZE + PAYLOAD) * 8; bit += 3) {
            Path copy = copyOfPristine("flip-" + bit);
            flipBit(copy.resolve(dataFile), position + bit / 8, bit % 8);
            assertEquals(expected(damaged), reopenAndReadAll(copy), "bit " + bit + " flipped");
        }
    }

    @Test
    void logCutAfterDamageTakesNewAppendsAndKeepsThemAcrossReopen() throws IOException {
        Path copy = copyOfPristine("reuse");
        flipBit(copy.resolve(dataFile), entryPosition(10) + 30, 2);
        LogFixture.forgetCleanShutdown(copy);
        try (WriteAheadLog log = LogFixture.open(copy)) {
            log.append(TOPIC, "after-1".getBytes(StandardCharsets.UTF_8));
        }
        try (WriteAheadLog log = LogFixture.open(copy)) {
            log.append(TOPIC, "after-2".getBytes(StandardCharsets.UTF_8));
        }
        List<String> expected = expected(10);
        expected.add("after-1");
        expected.add("after-2");
        assertEquals(expected, reopenAndReadAll(copy));
    }

    @Test
    void damageFoundAfterACleanShutdownIsCutDurablySoNewAppendsNeverRevealWhatFollowedIt() throws IOException {
        Path copy = copyOfPristine("clean-but-damaged"); // the clean-shutdown marker stays
        flipBit(copy.resolve(dataFile), entryPosition(10) + 30, 2);
        try (WriteAheadLog log = LogFixture.open(copy)) {
            // The same bytes as the damaged entry: were they written at the cut, entries 11 to 19 would line up again.
            log.append(TOPIC, payload(10));
        }
        assertEquals(expected(11), reopenAndReadAll(copy));
    }

    @Test
    void aTopicWhoseOldestBlockIsGoneStartsEmptyRatherThanWithAGap() throws IOException {
        Path dir = temp.resolve("two-blocks");
        Block first;
        try (WriteAheadLog log = LogFixture.open(dir)) {
            for (int i = 0; log.topic(TOPIC) == null || log.topic(TOPIC).chain().length < 3; i++) {
                log.append(TOPIC, payload(i % 100));
            }
            first = log.topic(TOPIC).chain()[0];
        }
        flipBit(first.file.io.path(), first.fileOffset + 9, 0); // the first block's header no longer verifies
        assertEquals(List.of(), reopenAndReadAll(dir));
        try (WriteAheadLog log = LogFixture.open(dir)) {
            log.append(TOPIC, "after".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("after"), reopenAndReadAll(dir));
    }

    private long entryPosition(int index) {
        return firstEntryPosition + (long) index * FormatDescriptor.entryFrameLength(PAYLOAD);
    }

    private static byte[] payload(int i) {
        String text = "entry-%02d-".formatted(i);
        StringBuilder out = new StringBuilder(text);
        while (out.length() < PAYLOAD) {
            out.append((char) ('a' + (out.length() + i) % 26));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> expected(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new String(payload(i), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> reopenAndReadAll(Path dir) throws IOException {
        try (WriteAheadLog log = LogFixture.open(dir)) {
            return LogFixture.readAll(log, TOPIC);
        }
    }

    private Path copyOfPristine(String name) throws IOException {
        Path target = temp.resolve(name);
        try (Stream<Path> files = Files.walk(pristine)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve(pristine.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else if (!source.getFileName().toString().equals("LOCK")) {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }

    private static void zero(Path file, long position, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(length), position);
        }
    }

    static void flipBit(Path file, long position, int bit) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ (1 << bit)));
            channel.write(one.rewind(), position);
        }
    }
}
