package io.walrus.bench.readcompare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.Consumer;
import io.walrus.Entry;
import io.walrus.EntryVisitor;
import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walrus's single read (the read path {@code bench-reads} measures) allocates what it returns (the {@code Optional}, the {@code Entry}, the payload
 * array) and nothing of its own: counted with HotSpot's per-thread allocation counter over
 * thousands of reads, after as many to let the JIT settle. No cursor save falls in the measured
 * reads ({@code atLeastOnce} with a large {@code persistEvery}). Bytes, not time: nothing here
 * depends on the machine's speed.
 *
 * <p>The single reads on the FD backend only (the zero-copy batch read is checked on both): the mmap
 * backend's single read ({@code storage.MappedDataFile.read}) wraps the
 * staging buffer in a {@code MemorySegment} per read, 72 bytes until C2 compiles it away (the
 * benchmark, which reads longer, measures it gone), and that class is not the read path's to change.
 */
class WalrusReadAllocationTest {
    /** One checkpointing single read: the default consumer's or a named one's. */
    @FunctionalInterface
    private interface SingleRead {
        Optional<Entry> readNext(String topic) throws IOException;
    }

    private static final int PAYLOAD = 700;
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;
    /** Above the 100 bytes a read used to allocate on its own, well below one object a read. */
    private static final double SLACK_BYTES_PER_READ = 4;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    void readNextOfTheDefaultConsumerAllocatesOnlyTheEntryItReturns() throws IOException {
        try (Walrus wal = open(StorageBackend.FD)) {
            fill(wal, "a");
            double extra = extraBytesPerRead(topic -> wal.readNext(topic, true), "a");
            assertTrue(extra <= SLACK_BYTES_PER_READ, "readNext allocated " + extra + " bytes a read beyond its entry");
        }
    }

    /** Two threads reading one named consumer (each its own topic), as bench-reads does. */
    @Test
    void readNextOfANamedConsumerReadByTwoThreadsAllocatesOnlyTheEntry() throws Exception {
        try (Walrus wal = open(StorageBackend.FD)) {
            fill(wal, "a");
            fill(wal, "b");
            Consumer consumer = wal.consumer("reader");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong otherExtra = new AtomicLong();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    otherExtra.set(Math.round(extraBytesPerRead(topic -> consumer.readNext(topic, true), "b")));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            double extra = extraBytesPerRead(topic -> consumer.readNext(topic, true), "a");
            other.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertTrue(extra <= SLACK_BYTES_PER_READ, "a named consumer's readNext allocated " + extra
                    + " bytes a read beyond its entry");
            assertTrue(otherExtra.get() <= SLACK_BYTES_PER_READ, "a named consumer's readNext allocated "
                    + otherExtra.get() + " bytes a read beyond its entry on the second thread");
        }
    }

    /**
     * The zero-copy batch read allocates nothing per entry on either backend (its visitor copies into
     * an array of its own): what it allocates at all, spread over the entries it visited.
     */
    @ParameterizedTest
    @EnumSource(StorageBackend.class)
    void visitBatchForTopicAllocatesNothingPerEntry(StorageBackend backend) throws IOException {
        try (Walrus wal = open(backend)) {
            fill(wal, "a");
            Consumer consumer = wal.consumer("visiting");
            byte[] copy = new byte[PAYLOAD];
            EntryVisitor visitor = (sequence, payload) -> payload.get(copy, 0, payload.remaining());
            long visited = 0;
            while (visited < WARM_UP) {
                visited += consumer.visitBatchForTopic("a", 64 << 10, true, visitor);
            }
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long measured = 0;
            while (measured < MEASURED - 200) {
                measured += consumer.visitBatchForTopic("a", 64 << 10, true, visitor);
            }
            double perEntry = (double) (THREADS.getCurrentThreadAllocatedBytes() - before) / measured;
            assertTrue(perEntry <= 1, "visitBatchForTopic allocated " + perEntry + " bytes an entry on " + backend);
        }
    }

    private Walrus open(StorageBackend backend) throws IOException {
        return Walrus.builder().dataDir(dir).backend(backend).fsync(FsyncSchedule.noFsync())
                .consistency(ReadConsistency.atLeastOnce(1_000_000)).open();
    }

    private static void fill(Walrus wal, String topic) throws IOException {
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            wal.appendForTopic(topic, payload);
        }
    }

    /** Reads the warm-up, then returns what the measured reads allocated per read beyond their results. */
    private static double extraBytesPerRead(SingleRead reads, String topic) throws IOException {
        long returned = 0;
        for (int i = 0; i < WARM_UP; i++) {
            returned += read(reads, topic);
        }
        returned = 0;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            returned += read(reads, topic);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        return (double) (allocated - returned) / MEASURED;
    }

    /** One checkpointing read; returns the heap bytes of its result (Optional, Entry, byte[] header + payload). */
    private static long read(SingleRead reads, String topic) throws IOException {
        Optional<Entry> entry = reads.readNext(topic);
        return EntryFootprint.readNextResult(entry.orElseThrow().data().length);
    }
}
