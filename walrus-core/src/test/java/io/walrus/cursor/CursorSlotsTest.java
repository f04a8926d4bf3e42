package io.walrus.cursor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.walrus.format.CursorFileDescriptor;
import io.walrus.format.DataFileNames;
import io.walrus.testing.Version1CursorFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cursor files in two slots: what a save writes, what a load takes, and what damage on disk does to
 * it. Damage is made by flipping bytes in the real file, as a torn write or a bad sector would.
 */
class CursorSlotsTest {
    private static final String TOPIC = "orders/eu";
    private static final System.Logger LOGGER = System.getLogger(CursorSlotsTest.class.getName());

    @TempDir
    Path dir;

    @Test
    void savedCursorReadsBackInAFreshStore() throws IOException {
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(42, 3, 4096));
        }
        assertEquals(Map.of(TOPIC, new Cursor(42, 3, 4096)), new CursorStore(dir, LOGGER).loadAll());
        assertEquals(CursorFileDescriptor.FILE_SIZE, Files.size(file()));
    }

    @Test
    void newerOfTwoVerifyingSlotsWinsWhicheverSlotItIsIn() throws IOException {
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(1, 0, 0)); // made anew: generations 0 and 1
            store.save(TOPIC, new Cursor(2, 0, 100)); // generation 2, slot 0
            assertEquals(new Cursor(2, 0, 100), readBack());
            store.save(TOPIC, new Cursor(3, 0, 200)); // generation 3, slot 1
            assertEquals(new Cursor(3, 0, 200), readBack());
            store.save(TOPIC, new Cursor(4, 1, 0)); // generation 4, slot 0
            assertEquals(new Cursor(4, 1, 0), readBack());
        }
    }

    @Test
    void aDamagedSlotIsIgnoredAndTheOtherUsed() throws IOException {
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(1, 0, 0));
            store.save(TOPIC, new Cursor(2, 0, 100)); // slot 0; slot 1 still holds 1
        }
        flip(0 + 20); // in slot 0's nextSequence
        assertEquals(new Cursor(1, 0, 0), readBack(), "the older, verifying slot");

        // A save after that writes the damaged slot's partner's successor: generation 2 again, into slot 0.
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(5, 0, 500));
        }
        assertEquals(new Cursor(5, 0, 500), readBack());
        flip(CursorFileDescriptor.SLOT_SIZE + 50); // slot 1's topic name: the newer slot 0 still stands
        assertEquals(new Cursor(5, 0, 500), readBack());
    }

    @Test
    void aSaveTornPartWayThroughItsSlotLeavesTheCursorSavedBeforeIt() throws IOException {
        byte[] before;
        byte[] after;
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(1, 0, 0));
            store.save(TOPIC, new Cursor(2, 0, 100)); // generation 2, slot 0
            before = Files.readAllBytes(file());
            store.save(TOPIC, new Cursor(3, 0, 200)); // generation 3, slot 1
            after = Files.readAllBytes(file());
        }
        // Only the first 24 bytes of generation 3 reached the disk: magic, version, generation, nextSequence.
        byte[] torn = before.clone();
        System.arraycopy(after, CursorFileDescriptor.SLOT_SIZE, torn, CursorFileDescriptor.SLOT_SIZE, 24);
        Files.write(file(), torn);
        assertEquals(new Cursor(2, 0, 100), readBack());
    }

    @Test
    void concurrentSavesOfMoreTopicsThanOpenFilesAllLand() throws Exception {
        int threads = 4;
        int topicsEach = CursorStore.MAX_OPEN_FILES / 2;
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            List<Thread> savers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                savers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int round = 1; round <= 5; round++) {
                            for (int i = 0; i < topicsEach; i++) {
                                store.save("t" + thread + "-" + i, new Cursor(round, thread, i));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread saver : savers) {
                saver.join();
            }
            assertEquals(List.of(), failures);
        }
        Map<String, Cursor> loaded = new CursorStore(dir, LOGGER).loadAll();
        assertEquals(threads * topicsEach, loaded.size());
        assertEquals(new Cursor(5, 3, 7), loaded.get("t3-7"));
    }

    @Test
    void bothSlotsDamagedIsADamagedCursorAndTheNextSaveMakesTheFileAnew() throws IOException {
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(7, 0, 0));
        }
        flip(8);
        flip(CursorFileDescriptor.SLOT_SIZE + 8);
        assertEquals(Map.of(), new CursorStore(dir, LOGGER).loadAll(), "read from its start");
        List<Path> damaged = new ArrayList<>();
        assertEquals(Map.of(), CursorStore.readAll(dir, damaged));
        assertEquals(List.of(file()), damaged);

        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(8, 0, 0));
            assertEquals(1, store.replacements());
        }
        assertEquals(new Cursor(8, 0, 0), readBack());
    }

    @Test
    void aVersion1FileLoadsAndItsFirstSaveConvertsIt() throws IOException {
        Files.createDirectories(file().getParent());
        Files.write(file(), Version1CursorFiles.encode(TOPIC, new Cursor(9, 2, 640)));
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            assertEquals(Map.of(TOPIC, new Cursor(9, 2, 640)), store.loadAll());
            store.save(TOPIC, new Cursor(10, 2, 700));
            assertEquals(1, store.replacements(), "converted through a temporary file and a rename");
            assertEquals(CursorFileDescriptor.FILE_SIZE, Files.size(file()));
            store.save(TOPIC, new Cursor(11, 2, 760));
            assertEquals(1, store.replacements(), "then saved in place");
        }
        assertEquals(new Cursor(11, 2, 760), readBack());
        assertEquals(Map.of(TOPIC, new Cursor(11, 2, 760)), CursorStore.readAll(dir, new ArrayList<>()));
    }

    @Test
    void aSaveRewritesOnlyTheOtherSlotOfTheSameFile() throws IOException {
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            store.save(TOPIC, new Cursor(0, 0, 0));
            Object inode = Files.getAttribute(file(), "unix:ino");
            for (int i = 1; i <= 100; i++) {
                byte[] before = Files.readAllBytes(file());
                store.save(TOPIC, new Cursor(i, 0, i));
                byte[] after = Files.readAllBytes(file());
                int written = (int) CursorFileDescriptor.slotOffset(i + 1); // generation i + 1
                int kept = CursorFileDescriptor.SLOT_SIZE - written;
                assertArrayEquals(slot(before, kept), slot(after, kept), "the slot of the last save is untouched");
                assertNotEquals(Arrays.toString(slot(before, written)), Arrays.toString(slot(after, written)));
            }
            assertEquals(inode, Files.getAttribute(file(), "unix:ino"), "the same file, never replaced");
            assertEquals(CursorFileDescriptor.FILE_SIZE, Files.size(file()));
            assertEquals(1, store.replacements(), "only the file's making went through a rename");
            try (Stream<Path> files = Files.list(file().getParent())) {
                assertEquals(List.of(file()), files.toList(), "no temporary file");
            }
        }
    }

    @Test
    void moreTopicsThanOpenFilesStillSaveInPlace() throws IOException {
        int topics = CursorStore.MAX_OPEN_FILES + 10;
        try (CursorStore store = new CursorStore(dir, LOGGER)) {
            for (int round = 0; round < 3; round++) {
                for (int t = 0; t < topics; t++) {
                    store.save("topic-" + t, new Cursor(round, 0, t));
                }
            }
            assertEquals(topics, store.replacements(), "each file made once, then saved in place");
        }
        Map<String, Cursor> loaded = new CursorStore(dir, LOGGER).loadAll();
        assertEquals(topics, loaded.size());
        assertEquals(new Cursor(2, 0, 5), loaded.get("topic-5"));
    }

    @Test
    void aClosedStoreSavesInPlaceAgain() throws IOException {
        CursorStore store = new CursorStore(dir, LOGGER);
        store.save(TOPIC, new Cursor(1, 0, 0));
        store.close();
        store.save(TOPIC, new Cursor(2, 0, 0));
        store.close();
        assertEquals(1, store.replacements());
        assertEquals(new Cursor(2, 0, 0), readBack());
        assertFalse(Files.exists(file().resolveSibling(file().getFileName() + ".tmp")));
    }

    private Path file() {
        return dir.resolve(DataFileNames.CURSOR_DIRECTORY).resolve(DataFileNames.cursorFile(TOPIC));
    }

    private Cursor readBack() throws IOException {
        return new CursorStore(dir, LOGGER).loadAll().get(TOPIC);
    }

    private void flip(long at) throws IOException {
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) ~one.get(0)).position(0);
            channel.write(one, at);
        }
    }

    private static byte[] slot(byte[] file, int offset) {
        return Arrays.copyOfRange(file, offset, offset + CursorFileDescriptor.SLOT_SIZE);
    }
}
