package io.walrus.log;

import io.walrus.inspect.StoredEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one topic on disk while another process appends to it, the way that process's own
 * readers see it: entries in order, each verified, a batch only once its last entry is there.
 *
 * <p>A poll reads on from where the last one stopped. Bytes that do not verify yet are an append in
 * progress (the writer's {@code pwrite} may be seen half done): the next poll reads them again. When
 * nothing more verifies in the current block, the writer may have moved on: the follower looks for
 * the topic's next block, starting at the next expected sequence, among the block headers (re-read
 * from disk, new data files included). If a batch in progress is abandoned (its writer crashed and
 * a recovery cut it off), the next writer starts a block at the batch's first sequence; the
 * follower then drops the entries of the batch it held back, as recovery did.
 */
public final class LiveTopicReader {
    private final ReadOnlyLog log;
    private final String topic;
    private final FrameReader reader = new FrameReader();
    /** Entries at or above this are handed out; those before were asked to be skipped. */
    private final long from;
    private final List<StoredEntry> pending = new ArrayList<>();
    private Block current;
    private int offset;
    private long expected;
    /** Sequence after the last whole batch: where a writer resumes if the batch in progress is abandoned. */
    private long committed;
    /** The batch position of the last entry held back in {@link #pending}. */
    private int pendingRemaining;

    LiveTopicReader(ReadOnlyLog log, String topic, long from) throws IOException {
        this.log = log;
        this.topic = topic;
        this.from = from;
        ChainScanner.Chain chain = log.blocksOf(topic).isEmpty() ? null : log.scanChain(topic);
        if (chain != null) {
            // Start in the last verified block that begins at or before 'from' (or in the first one).
            List<Block> blocks = chain.blocks();
            int index = 0;
            while (index + 1 < blocks.size() && blocks.get(index + 1).baseSequence <= from) {
                index++;
            }
            current = blocks.get(index);
            offset = current.headerLength;
            expected = current.baseSequence;
        }
        committed = expected;
    }

    /** Sequence of the next entry this follower will hand out (entries before {@code from} are skipped). */
    public long nextSequence() {
        return Math.max(expected, from);
    }

    /** Entries whole on disk since the last poll, in order; empty when nothing new is there yet. */
    public List<StoredEntry> poll() throws IOException {
        reader.forget();
        List<StoredEntry> ready = new ArrayList<>();
        boolean refreshed = false;
        while (true) {
            if (current != null && readNext(ready)) {
                continue;
            }
            Recovery.FoundBlock next = nextBlock();
            if (next == null && !refreshed) {
                log.refresh();
                refreshed = true;
                next = nextBlock();
            }
            if (next == null) {
                return ready;
            }
            if (current == null) {
                expected = committed = next.header().baseSequence(); // the topic's first block, just written
            } else if (next.header().baseSequence() != expected) {
                // The batch in progress was abandoned: its writer is gone, and the next one rewrote from its start.
                pending.clear();
                expected = committed;
            }
            current = next.toBlock();
            offset = current.headerLength;
        }
    }

    /** Reads the entry at the current position if it is whole; returns whether it was. */
    private boolean readNext(List<StoredEntry> ready) throws IOException {
        FrameReader.Kind kind = reader.read(current, offset);
        boolean inBatch = !pending.isEmpty();
        if (kind != FrameReader.Kind.ENTRY || reader.sequence != expected
                || (inBatch && reader.batchRemaining != pendingRemaining - 1)) {
            return false;
        }
        pending.add(new StoredEntry(topic, reader.sequence, current.file.toString(), current.indexInFile, offset,
                reader.sequence >= from ? reader.payload() : null));
        pendingRemaining = reader.batchRemaining;
        offset += reader.frameLength;
        expected++;
        if (reader.batchRemaining == 0) {
            for (StoredEntry entry : pending) {
                if (entry.sequence() >= from) {
                    ready.add(entry);
                }
            }
            pending.clear();
            committed = expected;
        }
        return true;
    }

    /**
     * The topic's block after the current one where the log goes on: the first (by block sequence)
     * that starts at the next expected entry, or, while a batch is held back, at that batch's start.
     */
    private Recovery.FoundBlock nextBlock() {
        List<Recovery.FoundBlock> blocks = log.blocksOf(topic);
        if (current == null) {
            return blocks.isEmpty() ? null : blocks.getFirst();
        }
        long after = current.blockSeq;
        for (Recovery.FoundBlock found : blocks) {
            long base = found.header().baseSequence();
            if (found.header().blockSeq() > after
                    && (base == expected || (!pending.isEmpty() && base == committed))) {
                return found;
            }
        }
        return null;
    }
}
