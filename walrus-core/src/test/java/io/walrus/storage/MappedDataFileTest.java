package io.walrus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedDataFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAreVisibleToPlainReadsOfTheFileAtOnce() throws IOException {
        Path path = dir.resolve("a.wal");
        try (MappedDataFile file = MappedDataFile.create(path, 1 << 20)) {
            file.write(direct("hello"), 4096);
            // No force: a shared mapping is the page cache, which pread reads.
            try (FileChannel channel = FileChannel.open(path)) {
                ByteBuffer read = ByteBuffer.allocate(5);
                channel.read(read, 4096);
                assertEquals("hello", new String(read.array(), StandardCharsets.UTF_8));
            }
            ByteBuffer back = ByteBuffer.allocate(5);
            assertEquals(5, file.read(back, 4096));
            assertEquals("hello", new String(back.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void writeInPlacePutsTheHeadThenThePayloadIntoTheMapping() throws IOException {
        Path path = dir.resolve("a.wal");
        try (MappedDataFile file = MappedDataFile.create(path, 1 << 20)) {
            ByteBuffer head = ByteBuffer.allocate(27).order(java.nio.ByteOrder.LITTLE_ENDIAN); // 3 words and 3 bytes
            for (int i = 0; i < head.capacity(); i++) {
                head.put(i, (byte) ('a' + i % 26));
            }
            assertTrue(file.writeInPlace(head, "payload".getBytes(StandardCharsets.UTF_8), 5000));
            assertFalse(head.hasRemaining(), "the head is consumed, as by write");
            file.force();
            try (FileChannel channel = FileChannel.open(path)) {
                ByteBuffer read = ByteBuffer.allocate(34);
                channel.read(read, 5000);
                assertEquals("abcdefghijklmnopqrstuvwxyzapayload", new String(read.array(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void writeInPlaceRefusesARangeBeyondTheMappingAndWritesNothing() throws IOException {
        Path path = dir.resolve("a.wal");
        try (MappedDataFile file = MappedDataFile.create(path, 8192)) {
            ByteBuffer head = direct("head");
            assertFalse(file.writeInPlace(head, new byte[10], 8180));
            assertEquals(4, head.remaining(), "nothing consumed: the caller writes it another way");
            file.force();
        }
        assertEquals(8192, Files.size(path));
    }

    @Test
    void forceOfTheLastPartialPageStaysWithinTheFile() throws IOException {
        Path path = dir.resolve("a.wal");
        try (MappedDataFile file = MappedDataFile.create(path, 8192 + 100)) {
            assertTrue(file.writeInPlace(direct("tail"), new byte[90], 8192));
            file.write(direct("first"), 0);
            file.force(); // the dirty pages, rounded up, end past the file: the msync must not
            file.force(); // and nothing is left to sync
            ByteBuffer back = ByteBuffer.allocate(4);
            file.read(back, 8192);
            assertEquals("tail", new String(back.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFileShorterThanItShouldBeIsReadAndWrittenPastItsEndAsWithPwrite() throws IOException {
        Path path = dir.resolve("a.wal");
        try (MappedDataFile file = MappedDataFile.create(path, 8192)) {
            file.write(direct("xyz"), 8190); // straddles the end: the file grows, as pwrite makes it
            file.force();
            ByteBuffer back = ByteBuffer.allocate(3);
            assertEquals(3, file.read(back, 8190));
            assertEquals("xyz", new String(back.array(), StandardCharsets.UTF_8));
        }
        assertEquals(8193, Files.size(path));
    }

    @Test
    void readAtTheEndReturnsWhatThereIs() throws IOException {
        try (MappedDataFile file = MappedDataFile.create(dir.resolve("a.wal"), 8192)) {
            ByteBuffer target = ByteBuffer.allocate(100);
            assertEquals(92, file.read(target, 8100));
            assertEquals(0, file.read(ByteBuffer.allocate(10), 8192));
            assertEquals(0, file.read(ByteBuffer.allocate(10), 1 << 20), "past the end, as of a truncated file");
        }
    }

    @Test
    void filesOver2GiBMapWhole() throws IOException {
        Path path = dir.resolve("big.wal");
        long length = 3L << 30;
        try (RandomAccessFile sparse = new RandomAccessFile(path.toFile(), "rw")) {
            sparse.setLength(length);
        }
        long far = length - 4096;
        try (MappedDataFile file = MappedDataFile.open(path)) {
            file.write(direct("far away"), far);
            file.force();
            ByteBuffer back = ByteBuffer.allocate(8);
            file.read(back, far);
            assertEquals("far away", new String(back.array(), StandardCharsets.UTF_8));
        }
        try (FileChannel channel = FileChannel.open(path)) {
            ByteBuffer read = ByteBuffer.allocate(8);
            channel.read(read, far);
            assertEquals("far away", new String(read.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void closeUnmapsAtOnceSoTheFileCanBeDeletedAndIsIdempotent() throws IOException {
        Path path = dir.resolve("a.wal");
        MappedDataFile file = MappedDataFile.create(path, 1 << 20);
        file.write(direct("x"), 0);
        file.close();
        file.close();
        Files.delete(path);
        assertFalse(Files.exists(path));
        assertThrows(IllegalStateException.class, () -> file.read(ByteBuffer.allocate(1), 0));
    }

    @Test
    void createFailsForAnExistingFileAndLeavesItAlone() throws IOException {
        Path path = dir.resolve("a.wal");
        Files.writeString(path, "keep");
        assertThrows(IOException.class, () -> MappedDataFile.create(path, 8192));
        assertEquals("keep", Files.readString(path));
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
