package io.walrus.log;

import static io.walrus.log.RetentionFixture.PER_FILE;
import static io.walrus.log.RetentionFixture.append;
import static io.walrus.log.RetentionFixture.consume;
import static io.walrus.log.RetentionFixture.dataFiles;
import static io.walrus.log.RetentionFixture.indexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.format.DataFileNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are deleted once every consumer that counts has durably consumed every entry in them, and not before. */
class FileReclaimerTest {
    @TempDir
    Path dir;

    @Test
    void filesDisappearOnceConsumedAndNotBefore() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 3 * PER_FILE + 10); // three full files and a fourth in use
            assertEquals(4, dataFiles(log, dir).size());
            assertEquals(0, log.reclaimConsumedFiles(), "nothing was read: the default consumer does not count yet");

            assertEquals(3 * PER_FILE + 10, log.batchRead("a", Long.MAX_VALUE, 2000, false).size());
            assertEquals(0, log.reclaimConsumedFiles(), "peeked entries are not consumed");

            consume(log, "a", 0, PER_FILE - 1);
            assertEquals(0, log.reclaimConsumedFiles(), "the last entry of the first file is not consumed yet");
            consume(log, "a", PER_FILE - 1, 1);
            assertEquals(1, log.reclaimConsumedFiles(), "the first file is consumed");
            assertEquals(List.of(DataFileNames.dataFile(1), DataFileNames.dataFile(2), DataFileNames.dataFile(3)),
                    dataFiles(log, dir));

            consume(log, "a", PER_FILE, 2 * PER_FILE + 10);
            assertEquals(2, log.reclaimConsumedFiles(), "the full files are consumed; the one in use stays");
            assertEquals(List.of(DataFileNames.dataFile(3)), dataFiles(log, dir));
            append(log, "a", 3 * PER_FILE + 10, 3 * PER_FILE + 20);
            consume(log, "a", 3 * PER_FILE + 10, 10);
            assertNull(log.readNext("a", true));
        }
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 3 * PER_FILE + 20, 3 * PER_FILE + 21);
            consume(log, "a", 3 * PER_FILE + 20, 1);
        }
    }

    @Test
    void aFileSharedByTwoTopicsWaitsForBoth() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            for (int i = 0; i < PER_FILE; i++) { // one lane: the topics' blocks alternate in the same files
                append(log, "a", i, i + 1);
                append(log, "b", i, i + 1);
            }
            int files = dataFiles(log, dir).size();
            assertTrue(files >= 2, "the topics fill " + files + " files");
            consume(log, "a", 0, PER_FILE);
            assertEquals(0, log.reclaimConsumedFiles(), "b has not read its blocks in the same files");
            consume(log, "b", 0, PER_FILE / 2);
            int deleted = log.reclaimConsumedFiles();
            assertTrue(deleted >= 1 && deleted < files, "the files both consumed go, deleted " + deleted);
            consume(log, "b", PER_FILE / 2, PER_FILE / 2);
            assertNull(log.readNext("a", false));
            assertNull(log.readNext("b", false));
        }
    }

    @Test
    void atLeastOnceWaitsUntilTheCursorIsPersisted() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir, 1000)) {
            append(log, "a", 0, PER_FILE + 5);
            consume(log, "a", 0, PER_FILE);
            assertEquals(0, log.reclaimConsumedFiles(),
                    "checkpoints not yet persisted would be handed out again after a crash: not consumed");
            consume(log, "a", PER_FILE, 5);
        }
        try (WriteAheadLog log = RetentionFixture.open(dir, 1000)) {
            assertEquals(1, log.reclaimConsumedFiles(), "close persisted the cursor past the first file");
            assertNull(log.readNext("a", true));
        }
    }

    @Test
    void namedConsumersHoldFilesUntilTheSlowestHasReadOrIsRemoved() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 3 * PER_FILE);
            NamedConsumer fast = log.consumer("fast", false);
            NamedConsumer slow = log.consumer("slow", false);
            readWith(fast, "a", 0, 3 * PER_FILE);
            assertEquals(0, log.reclaimConsumedFiles(), "slow has read nothing");
            readWith(slow, "a", 0, PER_FILE + 1);
            assertEquals(1, log.reclaimConsumedFiles(), "slow has read the first file");
            assertTrue(log.removeConsumer("slow"));
            assertEquals(1, log.reclaimConsumedFiles(), "without slow, fast decides; the last file is in use");
            // The default consumer never checkpointed "a", so it does not count: it starts at the earliest
            // retained entry, the first of the block still being written.
            byte[] first = log.readNext("a", false);
            assertNotNull(first);
            assertEquals(3 * PER_FILE - RetentionFixture.PER_BLOCK, indexOf("a", first));
        }
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            NamedConsumer fast = log.consumer("fast", false);
            assertNull(fast.readNext("a", false, 0), "fast resumes at the end after a reopen");
            assertEquals(3 * PER_FILE - RetentionFixture.PER_BLOCK, indexOf("a", log.readNext("a", false)),
                    "the topic still starts there");
        }
    }

    @Test
    void nothingIsDeletedOfATopicNoConsumerHasCheckpointed() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 2 * PER_FILE + 1);
            log.readNext("a", false);
            assertEquals(0, log.reclaimConsumedFiles());
            NamedConsumer late = log.consumer("late", false);
            assertEquals(0, log.reclaimConsumedFiles(), "a new consumer counts from the first entry");
            readWith(late, "a", 0, 2 * PER_FILE + 1);
            assertEquals(2, log.reclaimConsumedFiles());
        }
    }

    @Test
    void aTopicWhollyConsumedAfterACrashKeepsItsSequenceAcrossReopens() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 100);
        }
        LogFixture.forgetCleanShutdown(dir); // recovery seals the last block: the topic holds no open block
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "b", 0, PER_FILE); // fills the file so that it is closed for allocation
            consume(log, "a", 0, 100);
            consume(log, "b", 0, PER_FILE);
            assertTrue(log.reclaimConsumedFiles() >= 1);
            assertEquals(0, log.topic("a").chain().length, "every block of a is gone");
        }
        for (int life = 0; life < 2; life++) {
            if (life == 1) {
                LogFixture.forgetCleanShutdown(dir);
            }
            try (WriteAheadLog log = RetentionFixture.open(dir)) {
                assertNull(log.readNext("a", false));
                append(log, "a", 100 + life, 101 + life);
                consume(log, "a", 100 + life, 1);
            }
        }
    }

    @Test
    void aFileWhoseDeletionACrashInterruptedIsDeletedAgainAndNeverRead() throws IOException {
        Path saved = dir.resolveSibling(dir.getFileName() + "-saved.wal");
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 2 * PER_FILE + 3);
            consume(log, "a", 0, PER_FILE + 2);
            Files.copy(dir.resolve(DataFileNames.dataFile(0)), saved);
            assertEquals(1, log.reclaimConsumedFiles());
        }
        // As if the RETENTION file was renamed but the unlink never reached the disk.
        Files.copy(saved, dir.resolve(DataFileNames.dataFile(0)));
        LogFixture.forgetCleanShutdown(dir);
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            consume(log, "a", PER_FILE + 2, 5);
            assertEquals(1, log.reclaimConsumedFiles());
            assertFalse(dataFiles(log, dir).contains(DataFileNames.dataFile(0)));
        }
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            consume(log, "a", PER_FILE + 7, PER_FILE - 4);
            assertNull(log.readNext("a", true));
        }
    }

    @Test
    void aNamedConsumerOnlyTopicWhoseStartWasDeletedIsNotTakenForDamage() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 2 * PER_FILE + 3);
            readWith(log.consumer("only", false), "a", 0, PER_FILE + 1);
            assertEquals(1, log.reclaimConsumedFiles());
        }
        LogFixture.forgetCleanShutdown(dir);
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            readWith(log.consumer("only", false), "a", PER_FILE + 1, PER_FILE + 2);
            assertNull(log.consumer("only", false).readNext("a", false, 0));
        }
    }

    @Test
    void aDamagedRetentionFileIsSetAsideAndTheDefaultCursorStandsInForIt() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, 2 * PER_FILE + 3);
            consume(log, "a", 0, PER_FILE + 70); // past the first block of the second file too
            assertEquals(1, log.reclaimConsumedFiles());
        }
        Path retention = dir.resolve(DataFileNames.RETENTION_FILE);
        byte[] bytes = Files.readAllBytes(retention);
        bytes[bytes.length - 1] ^= 1;
        Files.write(retention, bytes);
        LogFixture.forgetCleanShutdown(dir);
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            assertTrue(Files.exists(dir.resolve(DataFileNames.RETENTION_FILE + ".unreadable")));
            consume(log, "a", PER_FILE + 70, PER_FILE - 67);
            assertNull(log.readNext("a", true));
        }
    }

    @Test
    void aFileDeletedUnderAReadStaysReadableUntilTheReadLetsGoAndTakesNoNewReads() throws IOException {
        try (WriteAheadLog log = RetentionFixture.open(dir)) {
            append(log, "a", 0, PER_FILE + 5);
            Block first = log.topic("a").chain()[0];
            LogFile file = first.file;
            assertTrue(file.tryPin(), "a read in progress in the first file");
            consume(log, "a", 0, PER_FILE + 5);
            assertEquals(1, log.reclaimConsumedFiles());
            assertFalse(Files.exists(file.io.path()), "unlinked");
            assertFalse(file.tryPin(), "no new read starts in a deleted file");
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(64);
            assertEquals(64, file.io.read(header, first.fileOffset), "the read in progress still reads its bytes");
            assertTrue(io.walrus.format.BlockHeader.decode(header.flip()).isPresent());
            file.unpin();
            assertThrows(java.nio.channels.ClosedChannelException.class,
                    () -> file.io.read(java.nio.ByteBuffer.allocate(8), first.fileOffset), "closed once let go");
        }
    }

    private static void readWith(NamedConsumer consumer, String topic, long from, long count) throws IOException {
        for (long i = from; i < from + count; i++) {
            byte[] payload = consumer.readNext(topic, true, 0);
            assertNotNull(payload, consumer + " entry " + i);
            assertEquals(i, indexOf(topic, payload));
        }
    }
}
