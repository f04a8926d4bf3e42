package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.TopicBusyException;
import io.walrus.format.FormatDescriptor;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch is all or nothing: while it runs, after it fails, and after a crash tears it. */
class BatchAtomicityTest {
    @TempDir
    Path dir;

    @Test
    void appendAndSecondBatchGetTopicBusyWhileABatchIsWriting() throws Exception {
        FaultyDataFiles files = new FaultyDataFiles();
        try (WriteAheadLog log = LogFixture.open(dir, files, FlushPolicy.Kind.onCloseOnly(), 4)) {
            log.append("t", bytes("before"));
            log.append("other", bytes("x"));
            files.holdNextWrite.set(true);
            CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
                try {
                    log.batchAppend("t", new byte[][] {bytes("b0"), bytes("b1"), bytes("b2")});
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(files.writeHeld.await(30, TimeUnit.SECONDS), "the batch never reached its first write");

            assertThrows(TopicBusyException.class, () -> log.append("t", bytes("rejected")));
            assertThrows(TopicBusyException.class, () -> log.batchAppend("t", new byte[][] {bytes("rejected")}));
            assertEquals(List.of("before"), LogFixture.peekAll(log, "t"), "no entry of a running batch is visible");

            files.releaseWrite.countDown();
            batch.get(30, TimeUnit.SECONDS);
            log.append("t", bytes("after"));
            assertEquals(List.of("before", "b0", "b1", "b2", "after"), LogFixture.readAll(log, "t"));
        }
    }

    @Test
    void failedBatchLeavesNothingAndTheInstanceStopsTakingWritesUntilReopened() throws IOException {
        FaultyDataFiles files = new FaultyDataFiles();
        try (WriteAheadLog log = LogFixture.open(dir, files, FlushPolicy.Kind.onCloseOnly(), 4)) {
            log.append("t", bytes("kept"));
            files.writesBeforeFailure.set(5); // fails in the middle of the batch, after it took new blocks
            byte[][] batch = new byte[40][];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = new byte[20_000];
            }
            IOException failure = assertThrows(IOException.class, () -> log.batchAppend("t", batch));
            assertTrue(failure.getMessage().contains("injected"), failure.getMessage());

            assertEquals(List.of("kept"), LogFixture.peekAll(log, "t"));
            IOException refused = assertThrows(IOException.class, () -> log.append("t", bytes("refused")));
            assertTrue(refused.getMessage().contains("reopen"), refused.getMessage());
        }
        try (WriteAheadLog log = LogFixture.open(dir)) {
            log.append("t", bytes("after reopen"));
            assertEquals(List.of("kept", "after reopen"), LogFixture.readAll(log, "t"));
        }
    }

    @Test
    void failedFsyncFailsTheAppendAndEveryLaterOneUntilReopened() throws IOException {
        FaultyDataFiles files = new FaultyDataFiles();
        try (WriteAheadLog log = LogFixture.open(dir, files, FlushPolicy.Kind.syncEach(), 4)) {
            log.append("t", bytes("durable"));
            files.failForce.set(true);
            assertThrows(IOException.class, () -> log.append("t", bytes("not known durable")));
            files.failForce.set(false);
            IOException refused = assertThrows(IOException.class, () -> log.append("t", bytes("refused")));
            assertTrue(refused.getMessage().contains("reopen"), refused.getMessage());
        } catch (IOException closeAfterFailure) {
            // close reports the earlier failure; the directory must still reopen.
        }
        try (WriteAheadLog log = LogFixture.open(dir)) {
            List<String> entries = LogFixture.readAll(log, "t");
            assertEquals("durable", entries.getFirst());
            assertTrue(!entries.contains("refused"), entries.toString());
        }
    }

    @Test
    void batchTornAcrossBlocksByACrashIsDroppedWhole() throws IOException {
        long lastEntry;
        Path file;
        try (WriteAheadLog log = LogFixture.open(dir)) {
            log.append("t", bytes("single-0"));
            log.append("t", bytes("single-1"));
            byte[][] batch = new byte[12][];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = bytes("batch-" + i + "-" + "x".repeat(10_000));
            }
            log.batchAppend("t", batch); // 12 × 10 KB: spans two 64 KiB blocks
            Block[] chain = log.topic("t").chain();
            assertTrue(chain.length >= 2, "the batch should span blocks");
            Block last = chain[chain.length - 1];
            lastEntry = last.fileOffset + last.committedEnd() - FormatDescriptor.entryFrameLength(batch[11].length);
            file = last.file.io.path();
        }
        RecoveryCutsDamagedTailTest.flipBit(file, lastEntry + 100, 0);
        LogFixture.forgetCleanShutdown(dir);
        try (WriteAheadLog log = LogFixture.open(dir)) {
            assertEquals(List.of("single-0", "single-1"), LogFixture.peekAll(log, "t"));
            log.append("t", bytes("next"));
        }
        try (WriteAheadLog log = LogFixture.open(dir)) {
            assertEquals(List.of("single-0", "single-1", "next"), LogFixture.readAll(log, "t"));
        }
    }

    @Test
    void blocksOfACutBatchLoseTheirHeaderSoNoLaterRecoveryCanTakeThemBack() throws IOException {
        Block batchOnlyBlock;
        long lastEntry;
        try (WriteAheadLog log = LogFixture.open(dir)) {
            log.append("t", bytes("single"));
            byte[][] batch = new byte[12][];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = bytes("batch-" + i + "-" + "x".repeat(10_000));
            }
            log.batchAppend("t", batch);
            Block[] chain = log.topic("t").chain();
            batchOnlyBlock = chain[chain.length - 1];
            lastEntry = batchOnlyBlock.fileOffset + batchOnlyBlock.committedEnd()
                    - FormatDescriptor.entryFrameLength(batch[11].length);
        }
        Path file = batchOnlyBlock.file.io.path();
        RecoveryCutsDamagedTailTest.flipBit(file, lastEntry + 64, 5);
        LogFixture.forgetCleanShutdown(dir);
        try (WriteAheadLog log = LogFixture.open(dir)) {
            assertEquals(List.of("single"), LogFixture.peekAll(log, "t"));
        }
        // The block held only entries of the cut batch. Had its header survived, a later block that
        // happens to start at its base sequence would make recovery take its stale entries back.
        java.nio.ByteBuffer header = FormatDescriptor.order(java.nio.ByteBuffer.allocate(4096));
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            channel.read(header, batchOnlyBlock.fileOffset);
        }
        assertTrue(io.walrus.format.BlockHeader.decode(header.flip()).isEmpty(),
                "the cut batch's block still has a valid header");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
