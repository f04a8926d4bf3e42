package io.walrus.log;

import static io.walrus.format.FormatDescriptor.ENTRY_HEADER_SIZE;
import static io.walrus.format.FormatDescriptor.entryFrameLength;

import io.walrus.TopicBusyException;
import io.walrus.format.BlockHeader;
import io.walrus.format.EntryCodec;
import io.walrus.format.FormatDescriptor;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends a topic's entries in commit order. One lock per topic serialises its writers; different
 * topics write in parallel. Entries become visible to readers when the whole append (one entry, or
 * a whole batch) is written: {@link #commit()} publishes every block it touched, in order.
 */
final class TopicWriter {
    /** Where a writer resumes: its open block (null after a crash: the next append takes a new block). */
    record State(Block active, int writeOffset, long nextSequence, long nextBlockSeq) {
    }

    private final Topic topic;
    private final LogResources resources;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean batchRunning = new AtomicBoolean();
    private final EntryCodec codec = new EntryCodec();
    /** One entry header, encoded here first: a mapped file takes it (and the payload) with no staging copy. */
    private final ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER_SIZE).order(FormatDescriptor.BYTE_ORDER);
    private final StagedWrites staged;
    private final int blockHeaderLength;
    /** Blocks written by the append in progress, in order; the first may hold earlier entries too. */
    private final List<Block> touched = new ArrayList<>(2);
    /** The end and next sequence of each touched block, as of the append in progress. */
    private int[] touchedEnds = new int[2];
    private long[] touchedNextSequences = new long[2];

    private Block active;
    private int writeOffset;
    private long nextSequence;
    private long nextBlockSeq;

    TopicWriter(Topic topic, State state, LogResources resources) {
        this.topic = topic;
        this.resources = resources;
        this.active = state.active();
        this.writeOffset = state.writeOffset();
        this.nextSequence = state.nextSequence();
        this.nextBlockSeq = state.nextBlockSeq();
        this.staged = new StagedWrites(resources.buffers, resources.batchIo);
        this.blockHeaderLength = FormatDescriptor.blockHeaderLength(
                topic.name.getBytes(StandardCharsets.UTF_8).length);
    }

    void append(byte[] data) throws IOException {
        FlushPolicy flush = resources.flushPolicy(topic.lane);
        flush.writeStarting();
        boolean wrote = false;
        try {
            if (batchRunning.get()) {
                throw busy();
            }
            lock.lock();
            try {
                resources.checkOpen();
                if (batchRunning.get()) {
                    throw busy();
                }
                writeAll(data, null);
                wrote = true;
            } finally {
                lock.unlock();
            }
        } finally {
            if (!wrote) {
                flush.writeAbandoned();
            }
        }
        topic.commits.signalIfWaiting(); // after the unlock: see CommitSignal for why no wake-up is lost
        awaitDurable();
    }

    void batchAppend(byte[][] entries) throws IOException {
        if (!batchRunning.compareAndSet(false, true)) {
            throw busy();
        }
        FlushPolicy flush = resources.flushPolicy(topic.lane);
        flush.writeStarting();
        try {
            boolean wrote = false;
            lock.lock();
            try {
                resources.checkOpen();
                writeAll(null, entries);
                wrote = true;
            } finally {
                lock.unlock();
                if (!wrote) {
                    flush.writeAbandoned();
                }
            }
            topic.commits.signalIfWaiting();
            awaitDurable();
        } finally {
            batchRunning.set(false);
        }
    }

    /**
     * Under the lock: writes one entry ({@code single}) or a whole batch, then publishes it; on
     * failure undoes it and stops the instance taking writes (fail-stop).
     */
    private void writeAll(byte[] single, byte[][] batch) throws IOException {
        resources.health.checkWritable();
        try {
            begin();
            if (batch == null) {
                write(single, 0);
            } else {
                writeBatch(batch);
            }
            commit();
        } catch (IOException e) {
            rollBack();
            resources.health.fail(e);
            throw e;
        }
    }

    /** Outside the lock, so writers of the same topic share the flush. A failed flush stops all writes. */
    private void awaitDurable() throws IOException {
        try {
            resources.flushPolicy(topic.lane).afterWrite();
        } catch (IOException e) {
            resources.health.fail(e);
            throw e;
        }
    }

    /** Under the lock: waits out any in-flight append, for close (and for waiting reads, see CommitSignal). */
    void awaitIdle() {
        lock.lock();
        lock.unlock();
    }

    /**
     * Where the committed entries end, read under the lock so that no append is half-published: the
     * start of a consumer created at the tail.
     */
    TopicReader.Position committedTail() {
        lock.lock();
        try {
            TopicChain chain = topic.snapshot();
            Block[] blocks = chain.blocks();
            if (blocks.length == 0) {
                return new TopicReader.Position(chain.endNumber(), 0, nextSequence);
            }
            Block last = blocks[blocks.length - 1];
            return new TopicReader.Position(chain.endNumber() - 1, last.committedEnd(), last.committedNextSequence());
        } finally {
            lock.unlock();
        }
    }

    private TopicBusyException busy() {
        return new TopicBusyException("a batch append is running for topic '" + topic.name + "'; retry when it is done");
    }

    // ------------------------------------------------------------------ one append, under the lock

    private int startOffset;
    private long startSequence;
    private Block startActive;
    /**
     * The number the chain's next block had before the append in progress took its first block (see
     * TopicChain), or -1 while it took none: read at the first roll, not at every append, as only
     * this writer adds blocks and the reclaimer's drops from the front leave the number as it is.
     */
    private long startChainEnd = -1;
    /** File positions of the entry headers written by the append in progress, for roll-back. */
    private long[] writtenHeaders = new long[8];
    private Block[] writtenHeaderBlocks = new Block[8];
    private int writtenCount;

    private void begin() {
        startActive = active;
        startOffset = writeOffset;
        startSequence = nextSequence;
        startChainEnd = -1;
        touched.clear();
        writtenCount = 0;
        if (active != null) {
            touched.add(active);
        }
    }

    private void write(byte[] data, int batchRemaining) throws IOException {
        long frame = entryFrameLength(data.length);
        if (active == null || writeOffset + frame > active.capacity) {
            rollTo(frame);
        }
        long position = active.fileOffset + writeOffset;
        codec.encodeHeader(header, 0, data, batchRemaining, nextSequence, active.nonce);
        header.clear();
        if (!active.file.io.writeInPlace(header, data, position)) {
            writeStaged(data, position);
        }
        rememberHeader(position);
        active.remainingAtEnd = batchRemaining;
        active.file.markDirty();
        writeOffset += (int) frame;
        nextSequence++;
        stage();
    }

    /** The header (already encoded in {@link #header}) and payload through a pooled buffer, in as few writes as fit. */
    private void writeStaged(byte[] data, long position) throws IOException {
        ByteBuffer buffer = resources.buffers.take();
        try {
            buffer.put(0, header, 0, ENTRY_HEADER_SIZE);
            int first = Math.min(data.length, buffer.capacity() - ENTRY_HEADER_SIZE);
            buffer.put(ENTRY_HEADER_SIZE, data, 0, first);
            buffer.position(0).limit(ENTRY_HEADER_SIZE + first);
            active.file.io.write(buffer, position);
            for (int done = first; done < data.length; ) {
                int chunk = Math.min(data.length - done, buffer.capacity());
                buffer.clear();
                buffer.put(0, data, done, chunk);
                buffer.limit(chunk);
                active.file.io.write(buffer, position + ENTRY_HEADER_SIZE + done);
                done += chunk;
            }
        } finally {
            resources.buffers.give(buffer);
        }
    }

    /**
     * A batch's frames are staged and written in a few large writes ({@link StagedWrites}); the files
     * are marked dirty only once the bytes are in them, so no flush can clear the mark too early.
     */
    private void writeBatch(byte[][] batch) throws IOException {
        try {
            for (int i = 0; i < batch.length; i++) {
                byte[] data = batch[i];
                if (entryFrameLength(data.length) > staged.largestFrame()) {
                    write(data, batch.length - 1 - i);
                } else {
                    stageEntry(data, batch.length - 1 - i);
                }
            }
            staged.writeOut();
        } finally {
            staged.release();
        }
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).file.markDirty();
        }
    }

    private void stageEntry(byte[] data, int batchRemaining) throws IOException {
        int frame = (int) entryFrameLength(data.length);
        if (active == null || writeOffset + frame > active.capacity) {
            rollTo(frame);
        }
        long position = active.fileOffset + writeOffset;
        int at = staged.claim(active.file.io, position, frame);
        ByteBuffer buffer = staged.buffer();
        codec.encodeHeader(buffer, at, data, batchRemaining, nextSequence, active.nonce);
        buffer.put(at + ENTRY_HEADER_SIZE, data);
        // The alignment padding is written too (a run is one write): zeros, as in a fresh file.
        for (int pad = at + ENTRY_HEADER_SIZE + data.length; pad < at + frame; pad++) {
            buffer.put(pad, (byte) 0);
        }
        rememberHeader(position);
        active.remainingAtEnd = batchRemaining;
        writeOffset += frame;
        nextSequence++;
        stage();
    }

    /** Takes a new block for an entry frame of {@code frame} bytes and writes its header. */
    private void rollTo(long frame) throws IOException {
        BlockAllocator.Slot slot = resources.allocator.allocate(blockHeaderLength + frame, topic.lane);
        Block block = new Block(slot.file(), slot.index(), slot.offset(), slot.capacity(), blockHeaderLength,
                ThreadLocalRandom.current().nextLong(), nextBlockSeq++, nextSequence);
        ByteBuffer buffer = resources.buffers.take();
        try {
            new BlockHeader(topic.name, block.nonce, block.blockSeq, block.baseSequence).encode(buffer);
            block.file.io.write(buffer, block.fileOffset);
        } finally {
            resources.buffers.give(buffer);
        }
        block.file.markDirty();
        if (startChainEnd < 0) {
            startChainEnd = topic.snapshot().endNumber();
        }
        topic.addBlock(block);
        active = block;
        writeOffset = blockHeaderLength;
        touched.add(block);
    }

    /** Records where the append in progress has got to in the last block it touched. */
    private void stage() {
        int i = touched.size() - 1;
        if (touchedEnds.length <= i) {
            touchedEnds = Arrays.copyOf(touchedEnds, i * 2 + 2);
            touchedNextSequences = Arrays.copyOf(touchedNextSequences, i * 2 + 2);
        }
        touchedEnds[i] = writeOffset;
        touchedNextSequences[i] = nextSequence;
    }

    private void rememberHeader(long position) {
        if (writtenCount == writtenHeaders.length) {
            writtenHeaders = Arrays.copyOf(writtenHeaders, writtenCount * 2);
            writtenHeaderBlocks = Arrays.copyOf(writtenHeaderBlocks, writtenCount * 2);
        }
        writtenHeaders[writtenCount] = position;
        writtenHeaderBlocks[writtenCount++] = active;
    }

    /**
     * Makes the append visible: each touched block's end is published, and every block but the last
     * is sealed after its successor is in the chain (it already is), so a reader that finds a block
     * sealed finds the next one.
     */
    private void commit() {
        int last = touched.size() - 1;
        // The append's batch ends in its last block: that block's last commit point moves there.
        touched.get(last).commitOffset = touchedEnds[last];
        touched.get(last).commitSequence = touchedNextSequences[last];
        for (int i = 0; i <= last; i++) {
            Block block = touched.get(i);
            if (touchedEnds[i] != 0) {
                block.publish(touchedEnds[i], touchedNextSequences[i]);
            }
            if (i < last) {
                block.seal();
                resources.seals.sealed(block); // recorded once a flush has made its data durable
            }
        }
        // Zero the staged ends so a block touched only by its header (a roll with no entry) is not published twice.
        Arrays.fill(touchedEnds, 0, last + 1, 0);
        writtenCount = 0;
    }

    /**
     * Undoes a failed append: offsets and sequences go back, blocks it took leave the chain, and the
     * entry headers it wrote are zeroed (best effort: the instance is failing anyway) so that nothing
     * of it can be mistaken for entries later.
     */
    private void rollBack() {
        Arrays.fill(touchedEnds, 0);
        ByteBuffer zeros = resources.buffers.take();
        try {
            for (int i = 0; i < writtenCount; i++) {
                zeros.clear();
                for (int b = 0; b < ENTRY_HEADER_SIZE; b++) {
                    zeros.put(b, (byte) 0);
                }
                zeros.limit(ENTRY_HEADER_SIZE);
                writtenHeaderBlocks[i].file.io.write(zeros, writtenHeaders[i]);
            }
        } catch (IOException ignored) {
            // Recovery rejects a batch whose last entry is missing, so the headers are only belt and braces.
        } finally {
            resources.buffers.give(zeros);
        }
        Arrays.fill(writtenHeaderBlocks, 0, writtenCount, null);
        writtenCount = 0;
        active = startActive;
        writeOffset = startOffset;
        nextSequence = startSequence;
        if (startChainEnd >= 0) {
            topic.truncateChain(startChainEnd);
        }
    }
}
