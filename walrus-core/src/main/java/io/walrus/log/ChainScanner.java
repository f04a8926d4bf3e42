package io.walrus.log;

import static io.walrus.format.FormatDescriptor.ENTRY_HEADER_SIZE;
import static io.walrus.format.FormatDescriptor.entryFrameLength;

import io.walrus.format.EntryCodec;
import io.walrus.format.SealRecord;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds one topic's chain from its blocks on disk, verifying every entry. The rules, which
 * together make sure recovery keeps exactly a prefix of what was written:
 * <ul>
 *   <li>Blocks are taken in {@code blockSeq} order; a block whose base sequence is not the next
 *       expected one was written ahead of entries that never reached the disk, and is skipped.</li>
 *   <li>Within a block, entries are read until one does not verify (checksum with the block's nonce,
 *       sequence, batch position); the rest of the block is ignored.</li>
 *   <li>The oldest block must start at or before the first entry not yet consumed: the cursor, or
 *       the topic's retention floor when deletion of consumed files moved it further (0 for
 *       neither); if it starts later, the blocks before it are gone and the topic keeps nothing.</li>
 *   <li>A batch counts only once its last entry ({@code batchRemaining == 0}) is found; if the chain
 *       ends inside a batch, the log is cut back to just before the batch.</li>
 * </ul>
 */
final class ChainScanner {
    /** What was found for a topic: blocks in order with their ends, and where a cursor's sequence lies. */
    record Chain(List<Block> blocks, long nextSequence, long maxBlockSeq, int cursorBlock, int cursorOffset,
                 boolean lastSealedOnDisk, List<Recovery.FoundBlock> discarded, boolean damaged) {
    }

    private final ByteBuffer buffer;
    private final EntryCodec codec = new EntryCodec();
    private final System.Logger logger;
    /** Seal records by block ({@link SealRecord#key()}): blocks taken as they are, without reading their entries. */
    private final Map<Long, SealRecord> seals;

    // Scan state for the topic being scanned.
    private long expected;
    private int pendingRemaining;
    private int committedBlock;
    private int committedOffset;
    private long committedSequence;
    private long cursorTarget;
    private int cursorBlock;
    private int cursorOffset;
    private boolean sealFound;
    /** Whether anything was cut: bytes that are neither entries nor unwritten space, a skipped block, a torn batch. */
    private boolean damaged;

    ChainScanner(ByteBuffer buffer, System.Logger logger) {
        this(buffer, logger, Map.of());
    }

    ChainScanner(ByteBuffer buffer, System.Logger logger, Map<Long, SealRecord> seals) {
        this.buffer = buffer;
        this.logger = logger;
        this.seals = seals;
    }

    /**
     * {@code blocks} sorted by blockSeq, at least one; {@code keptFrom} the first entry the topic must
     * still hold: the persisted cursor's next sequence or the topic's retention floor (entries before
     * it were consumed and may have been deleted), whichever is higher, or -1 (meaning 0) for neither.
     */
    Chain scan(String topic, List<Recovery.FoundBlock> blocks, long keptFrom) throws IOException {
        long cursorSequence = keptFrom;
        List<Block> accepted = new ArrayList<>();
        List<long[]> ends = new ArrayList<>(); // per accepted block: {end offset, next sequence, sealed on disk}
        List<Recovery.FoundBlock> acceptedFound = new ArrayList<>();
        List<Recovery.FoundBlock> discarded = new ArrayList<>();
        long start = Math.max(0, keptFrom);
        if (blocks.getFirst().header().baseSequence() > start) {
            return lostStart(topic, blocks, start);
        }
        expected = blocks.getFirst().header().baseSequence();
        pendingRemaining = 0;
        committedBlock = -1;
        committedOffset = 0;
        committedSequence = expected;
        cursorTarget = cursorSequence;
        cursorBlock = -1;
        damaged = false;
        long maxBlockSeq = -1;
        for (Recovery.FoundBlock found : blocks) {
            maxBlockSeq = Math.max(maxBlockSeq, found.header().blockSeq());
            long base = found.header().baseSequence();
            if (base != expected && base == committedSequence) {
                // The writer went back to the last commit point: the batch in progress was abandoned
                // (a crash, then recovery cut it off, then new appends). Cut it off again here.
                cutBackToCommitted(accepted, ends, acceptedFound, discarded);
            }
            if (base != expected) {
                damaged = true;
                discarded.add(found);
                logger.log(Level.WARNING, "topic ''{0}'': skipping block {1} of {2}: it starts at entry {3} but the "
                        + "log before it ends at entry {4} (written ahead of entries lost in a crash)",
                        topic, found.index(), found.file(), found.header().baseSequence(), expected);
                continue;
            }
            Block block = found.toBlock();
            accepted.add(block);
            acceptedFound.add(found);
            SealRecord seal = sealOf(found);
            if (seal != null) {
                takeAsSealed(block, seal, accepted.size() - 1);
                ends.add(new long[] {seal.endOffset(), seal.nextSequence(), 0});
                continue;
            }
            sealFound = false;
            int end = scanBlock(block, accepted.size() - 1);
            ends.add(new long[] {end, expected, sealFound ? 1 : 0});
        }
        if (expected != committedSequence) {
            logger.log(Level.WARNING, "topic ''{0}'': dropping an incomplete batch from entry {1} on (its last "
                    + "{2} entries never reached the disk)", topic, committedSequence, pendingRemaining);
            damaged = true;
            cutBackToCommitted(accepted, ends, acceptedFound, discarded);
        }
        for (int i = 0; i < accepted.size(); i++) {
            accepted.get(i).publish((int) ends.get(i)[0], ends.get(i)[1]);
        }
        boolean cursorFound = cursorBlock >= 0 && cursorBlock < accepted.size()
                && cursorOffset < accepted.get(cursorBlock).committedEnd();
        return new Chain(accepted, expected, maxBlockSeq, cursorFound ? cursorBlock : -1, cursorOffset,
                ends.getLast()[2] == 1, discarded, damaged);
    }

    /** The seal record of a block, if there is one and it is about this very block (same block sequence and nonce). */
    private SealRecord sealOf(Recovery.FoundBlock found) {
        SealRecord seal = seals.get(SealRecord.key(found.file().header.fileSequence(), found.index()));
        boolean same = seal != null && seal.blockSeq() == found.header().blockSeq()
                && seal.nonce() == found.header().nonce() && seal.baseSequence() == found.header().baseSequence()
                && seal.endOffset() <= found.file().header.blockSize();
        return same ? seal : null;
    }

    /**
     * A sealed block whose data was durable when its record was written: its end, next sequence and
     * batch state come from the record, and its entries are verified when they are read. A cursor
     * inside it is found by {@link CursorResolver}.
     */
    private void takeAsSealed(Block block, SealRecord seal, int blockNumber) {
        block.trusted = true;
        block.recorded = true;
        block.commitOffset = seal.commitOffset();
        block.commitSequence = seal.commitSequence();
        block.remainingAtEnd = seal.remainingAtEnd();
        expected = seal.nextSequence();
        pendingRemaining = seal.remainingAtEnd();
        if (seal.commitOffset() >= 0) {
            committedBlock = blockNumber;
            committedOffset = seal.commitOffset();
            committedSequence = seal.commitSequence();
        }
    }

    /**
     * The oldest block left starts after entries nobody consumed: the blocks that held them are gone
     * (a damaged file set aside, a block header that no longer verifies). A log is replayed without
     * gaps, so the topic keeps nothing; its blocks are discarded and its next entry is {@code start}.
     */
    private Chain lostStart(String topic, List<Recovery.FoundBlock> blocks, long start) {
        logger.log(Level.ERROR, "topic ''{0}'': its oldest remaining block starts at entry {1}, but entries from {2} on "
                + "were never consumed and the blocks holding them are gone (damaged); a log is replayed without gaps, "
                + "so the topic now starts empty at entry {2}", topic, blocks.getFirst().header().baseSequence(), start);
        long maxBlockSeq = blocks.stream().mapToLong(found -> found.header().blockSeq()).max().orElse(-1);
        return new Chain(List.of(), start, maxBlockSeq, -1, 0, false, new ArrayList<>(blocks), true);
    }

    private void cutBackToCommitted(List<Block> accepted, List<long[]> ends, List<Recovery.FoundBlock> acceptedFound,
                                    List<Recovery.FoundBlock> discarded) {
        expected = committedSequence;
        pendingRemaining = 0;
        boolean cursorInCutPart = cursorBlock > committedBlock
                || (cursorBlock == committedBlock && cursorOffset >= committedOffset);
        if (cursorInCutPart) {
            cursorBlock = -1;
        }
        if (committedBlock < 0) {
            // Nothing committed at all: keep the first block, empty.
            while (accepted.size() > 1) {
                accepted.removeLast();
                ends.removeLast();
                discarded.add(acceptedFound.removeLast());
            }
            ends.set(0, new long[] {accepted.getFirst().headerLength, committedSequence, 0});
            Block empty = accepted.getFirst();
            empty.commitOffset = -1;
            empty.commitSequence = -1;
            empty.remainingAtEnd = 0; // no batch is open at its (new) end
            return;
        }
        while (accepted.size() > committedBlock + 1) {
            accepted.removeLast();
            ends.removeLast();
            discarded.add(acceptedFound.removeLast());
        }
        ends.set(committedBlock, new long[] {committedOffset, committedSequence, 0});
        Block cut = accepted.get(committedBlock);
        cut.commitOffset = committedOffset;
        cut.commitSequence = committedSequence;
        cut.remainingAtEnd = 0;
    }

    /** Scans a block's entries from its header on; returns the offset after the last one that verified. */
    private int scanBlock(Block block, int blockNumber) throws IOException {
        int offset = block.headerLength;
        long windowStart = -1;
        int windowLength = 0;
        while (block.capacity - offset >= ENTRY_HEADER_SIZE) {
            if (windowStart < 0 || offset < windowStart || offset + ENTRY_HEADER_SIZE > windowStart + windowLength) {
                windowLength = fill(block, offset);
                windowStart = offset;
                if (windowLength < ENTRY_HEADER_SIZE) {
                    break;
                }
            }
            int at = (int) (offset - windowStart);
            if (pendingRemaining == 0 && codec.isSeal(buffer, at, expected, block.nonce)) {
                sealFound = true;
                break;
            }
            if (!EntryCodec.plausibleHeader(buffer, at, block.capacity - offset)
                    || EntryCodec.sequence(buffer, at) != expected) {
                break;
            }
            int remaining = EntryCodec.batchRemaining(buffer, at);
            if (pendingRemaining > 0 && remaining != pendingRemaining - 1) {
                break;
            }
            int length = EntryCodec.payloadLength(buffer, at);
            boolean verified;
            if (ENTRY_HEADER_SIZE + length <= buffer.capacity()) {
                if (at + ENTRY_HEADER_SIZE + length > windowLength) {
                    windowLength = fill(block, offset);
                    windowStart = offset;
                    at = 0;
                    if (windowLength < ENTRY_HEADER_SIZE + length) {
                        break;
                    }
                }
                verified = codec.verify(buffer, at, at + ENTRY_HEADER_SIZE, block.nonce);
            } else {
                verified = verifyLarge(block, offset, at, length);
                windowStart = -1;
            }
            if (!verified) {
                break;
            }
            if (expected == cursorTarget) {
                cursorBlock = blockNumber;
                cursorOffset = offset;
            }
            offset += (int) entryFrameLength(length);
            expected++;
            pendingRemaining = remaining;
            block.remainingAtEnd = remaining;
            if (remaining == 0) {
                committedBlock = blockNumber;
                committedOffset = offset;
                committedSequence = expected;
                block.commitOffset = offset;
                block.commitSequence = expected;
            }
        }
        if (!sealFound && !unwrittenAt(block, offset)) {
            damaged = true;
        }
        return offset;
    }

    /**
     * Whether the scan stopped where nothing was ever written: the end of the block, or an entry
     * header's worth of zeros (files are preallocated with zeros). Anything else is damage or a torn
     * write, and the cut there must be made durable before anyone appends.
     */
    private boolean unwrittenAt(Block block, int offset) throws IOException {
        if (block.capacity - offset < ENTRY_HEADER_SIZE) {
            return true;
        }
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER_SIZE);
        if (block.file.io.read(header, block.fileOffset + offset) < ENTRY_HEADER_SIZE) {
            return false; // the file was cut short
        }
        for (int i = 0; i < ENTRY_HEADER_SIZE; i++) {
            if (header.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private int fill(Block block, int offset) throws IOException {
        buffer.clear().limit((int) Math.min(buffer.capacity(), (long) block.capacity - offset));
        return block.file.io.read(buffer, block.fileOffset + offset);
    }

    private boolean verifyLarge(Block block, int offset, int headerAt, int length) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER_SIZE).order(buffer.order());
        header.put(0, buffer, headerAt, ENTRY_HEADER_SIZE);
        ByteBuffer payload = ByteBuffer.allocate(length);
        int got = block.file.io.read(payload, block.fileOffset + offset + ENTRY_HEADER_SIZE);
        return got == length && codec.verify(header, 0, payload.array(), block.nonce);
    }
}
