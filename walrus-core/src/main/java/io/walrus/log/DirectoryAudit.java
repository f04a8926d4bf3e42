package io.walrus.log;

import io.walrus.cursor.Cursor;
import io.walrus.inspect.Problem;
import io.walrus.inspect.Problem.Severity;
import io.walrus.inspect.VerifyReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Checks a whole directory and says what is wrong and where: every file header, every block header,
 * every entry's checksum (through {@link ChainScanner}, which decides what recovery keeps), and then,
 * for each topic, what stands where its verified prefix ends.
 *
 * <p>The end of a topic is fine when it is zeros, a seal or the end of a block, and nothing that
 * verifies lies beyond it. Otherwise the audit reads on past the cut, stepping over damaged
 * entries, to name the first problem and count the intact entries recovery would drop. A problem is
 * {@link Severity#DAMAGE} when intact entries would be dropped or the directory was closed cleanly
 * (so nothing may be torn); a torn end with nothing intact after it, in a directory that was not
 * closed cleanly (a crash, or a writer at work), is a {@link Severity#NOTE}: the format is built for it.
 */
final class DirectoryAudit {
    /** Further damaged entries past the first, per topic, that are listed one by one. */
    private static final int MORE_DAMAGE_LISTED = 20;

    private final ReadOnlyLog log;
    private final FrameReader reader = new FrameReader();
    private final List<Problem> problems = new ArrayList<>();
    private final boolean clean;

    DirectoryAudit(ReadOnlyLog log) {
        this.log = log;
        this.clean = log.cleanShutdown();
    }

    VerifyReport run() throws IOException {
        long blocks = auditFiles();
        long entries = 0;
        for (String topic : log.topicNames()) {
            entries += auditTopic(topic);
        }
        auditCursors();
        problems.sort(Comparator.comparing(Problem::severity));
        return new VerifyReport(log.directory(), log.scannedFiles().size(), blocks, log.topicNames().size(), entries,
                problems);
    }

    // ------------------------------------------------------------------ files and block headers

    private long auditFiles() {
        long owned = 0;
        for (ReadOnlyLog.ScannedFile f : log.scannedFiles()) {
            if (f.file == null) {
                if (f.headerZero) {
                    add(clean ? Severity.DAMAGE : Severity.NOTE, null, f.name(), -1, -1, -1,
                            "the file's header is all zeros: a crash while it was being created (or it is being "
                            + "created right now); it holds no entries, and recovery moves it aside");
                } else {
                    add(Severity.DAMAGE, null, f.name(), -1, -1, -1, "the file's header does not verify (magic, "
                            + "version or checksum): recovery moves it aside to " + f.name() + ".unreadable, and "
                            + "every entry in it is lost");
                }
                continue;
            }
            long expectedLength = f.file.header.fileLength();
            if (f.size < expectedLength) {
                add(Severity.DAMAGE, null, f.name(), -1, -1, -1, "the file is " + f.size + " bytes but its header "
                        + "says " + expectedLength + ": it was truncated, and entries past its end are lost");
            }
            if (f.file.header.fileSequence() != f.fileSequence) {
                add(Severity.DAMAGE, null, f.name(), -1, -1, -1, "the header says file sequence "
                        + f.file.header.fileSequence() + " but the name says " + f.fileSequence);
            }
            owned += auditSlots(f);
        }
        return owned;
    }

    private long auditSlots(ReadOnlyLog.ScannedFile f) {
        int lastOwned = -1;
        for (int i = 0; i < f.slots.length; i++) {
            if (f.slots[i] == ReadOnlyLog.Slot.OWNED) {
                lastOwned = i;
            }
        }
        long owned = 0;
        int erased = 0;
        for (int i = 0; i < f.slots.length; i++) {
            switch (f.slots[i]) {
                case OWNED -> owned++;
                case ERASED -> erased++;
                case DAMAGED_HEADER, GARBAGE -> {
                    // Past the last owned block, a header may be half written (a crash, or a writer now).
                    Severity severity = !clean && i > lastOwned ? Severity.NOTE : Severity.DAMAGE;
                    add(severity, null, f.name(), i, 0, -1, f.slots[i] == ReadOnlyLog.Slot.DAMAGED_HEADER
                            ? "the block header does not verify: the block's topic and entries are lost to recovery"
                            : "the block starts with bytes that are neither a block header nor zeros");
                }
                case EMPTY -> {
                }
            }
        }
        if (erased > 0) {
            add(Severity.NOTE, null, f.name(), -1, -1, -1, erased + (erased == 1 ? " block was" : " blocks were")
                    + " erased by an earlier recovery (cut away or skipped after a crash); nothing in them is read");
        }
        return owned;
    }

    // ------------------------------------------------------------------ topics

    /** Where a walk past the end of a topic's verified prefix stopped, and why. */
    private record Stop(FrameReader.Kind kind, Block block, int offset, long sequence, long foundSequence,
                        int batchEntries, int frameLength) {
    }

    /** Audits one topic; returns the entries recovery keeps for it. */
    private long auditTopic(String topic) throws IOException {
        ChainScanner.Chain chain = log.chain(topic);
        List<Recovery.FoundBlock> blocks = log.blocksOf(topic);
        if (chain.blocks().isEmpty()) {
            Recovery.FoundBlock oldest = blocks.getFirst();
            problems.add(new Problem(Problem.Severity.DAMAGE, topic, oldest.file().toString(), oldest.index(), -1,
                    oldest.header().baseSequence(), "the topic's oldest remaining block starts at entry "
                    + oldest.header().baseSequence() + ": the blocks before it are gone, and as a log is replayed without "
                    + "gaps, recovery keeps nothing of the topic (" + blocks.size() + " blocks discarded)"));
            return 0;
        }
        Block last = chain.blocks().getLast();
        long first = chain.blocks().getFirst().baseSequence;
        Stop stop = walkPastEnd(topic, blocks, last, chain.nextSequence());
        Lost lost = new Lost();
        boolean normalEnd = stop.batchEntries == 0 && (stop.kind == FrameReader.Kind.EMPTY
                || stop.kind == FrameReader.Kind.SEAL || stop.kind == FrameReader.Kind.NO_ROOM);
        if (!normalEnd) {
            int resume = stop.kind == FrameReader.Kind.BAD_CHECKSUM || stop.kind == FrameReader.Kind.ENTRY
                    ? stop.offset + stop.frameLength : stop.offset + 8;
            scanForLost(topic, stop.block, resume, lost);
        }
        for (Recovery.FoundBlock found : blocks) {
            if (found.header().blockSeq() > stop.block.blockSeq) {
                Block block = found.toBlock();
                scanForLost(topic, block, block.headerLength, lost);
            }
        }
        if (!normalEnd || lost.count > 0) {
            report(topic, first, stop, lost, normalEnd);
        }
        return chain.nextSequence() - first;
    }

    /**
     * Reads on from the end of the verified prefix as recovery does (sequence and batch position),
     * following the chain into the next block while a batch is open, and returns what stops it.
     */
    private Stop walkPastEnd(String topic, List<Recovery.FoundBlock> blocks, Block block, long expected)
            throws IOException {
        int offset = block.committedEnd();
        int batchEntries = 0;
        int remaining = 0;
        while (true) {
            FrameReader.Kind kind = reader.read(block, offset);
            boolean inOrder = kind == FrameReader.Kind.ENTRY && reader.sequence == expected
                    && (batchEntries == 0 || reader.batchRemaining == remaining - 1);
            if (inOrder && reader.batchRemaining == 0) {
                // A whole batch recovery did not keep: a writer finished it after the chain was scanned.
                return new Stop(FrameReader.Kind.EMPTY, block, offset, expected, -1, 0, 0);
            }
            if (inOrder) {
                batchEntries++;
                remaining = reader.batchRemaining;
                offset += reader.frameLength;
                expected++;
                continue;
            }
            boolean blockDone = kind == FrameReader.Kind.EMPTY || kind == FrameReader.Kind.NO_ROOM;
            Block next = blockDone && batchEntries > 0 ? blockStartingAt(blocks, block.blockSeq, expected) : null;
            if (next != null) {
                block = next;
                offset = next.headerLength;
                continue;
            }
            long found = kind == FrameReader.Kind.ENTRY || kind == FrameReader.Kind.BAD_CHECKSUM ? reader.sequence : -1;
            return new Stop(kind, block, offset, expected, found, batchEntries, reader.frameLength);
        }
    }

    private static Block blockStartingAt(List<Recovery.FoundBlock> blocks, long afterBlockSeq, long base) {
        for (Recovery.FoundBlock found : blocks) {
            if (found.header().blockSeq() > afterBlockSeq && found.header().baseSequence() == base) {
                return found.toBlock();
            }
        }
        return null;
    }

    /** Intact entries past the cut, and damaged ones besides the first. */
    private static final class Lost {
        long count;
        long lowest = Long.MAX_VALUE;
        long highest = -1;
        int moreDamage;
    }

    /**
     * Reads {@code block} from {@code offset} to its end, counting entries that verify. A damaged
     * entry whose length is readable is stepped over; anything else is searched past 8 bytes at a
     * time (entries are 8-byte aligned), so one bad header does not hide what follows.
     */
    private void scanForLost(String topic, Block block, int offset, Lost lost) throws IOException {
        while (offset < block.capacity) {
            FrameReader.Kind kind = reader.read(block, offset);
            switch (kind) {
                case ENTRY -> {
                    lost.count++;
                    lost.lowest = Math.min(lost.lowest, reader.sequence);
                    lost.highest = Math.max(lost.highest, reader.sequence);
                    offset += reader.frameLength;
                }
                case BAD_CHECKSUM -> {
                    if (lost.moreDamage++ < MORE_DAMAGE_LISTED) {
                        add(Severity.DAMAGE, topic, block.file.toString(), block.indexInFile, offset, reader.sequence,
                                "entry " + reader.sequence + " does not verify: checksum mismatch ("
                                + reader.payloadLength + "-byte payload)");
                    }
                    offset += reader.frameLength; // if the length is the damaged part, what follows is searched
                }
                case SEAL, NO_ROOM, SHORT_FILE -> {
                    return;
                }
                case EMPTY, BAD_HEADER -> offset += 8;
            }
        }
    }

    private void report(String topic, long first, Stop stop, Lost lost, boolean normalEnd) {
        String what;
        if (normalEnd) {
            what = "the topic's chain of blocks ends before entry " + stop.sequence + ", but later blocks hold "
                    + "intact entries" + (lost.lowest > stop.sequence
                    ? " (entries " + stop.sequence + " to " + (lost.lowest - 1) + " are missing)" : "");
        } else if (stop.batchEntries > 0) {
            what = "a batch starting at entry " + (stop.sequence - stop.batchEntries) + " has " + stop.batchEntries
                    + (stop.batchEntries == 1 ? " entry" : " entries") + " on disk but not its last one (entry "
                    + stop.sequence + " " + describe(stop) + "): a batch is all or nothing, so recovery drops it";
        } else {
            what = "entry " + stop.sequence + " " + describe(stop);
        }
        long keptUpTo = stop.sequence - stop.batchEntries - 1;
        String kept = keptUpTo < first ? "recovery keeps none of the topic's entries"
                : "recovery keeps entries " + first + " to " + keptUpTo;
        String dropped = lost.count == 0 ? "" : " and drops " + lost.count + " intact "
                + (lost.count == 1 ? "entry" : "entries") + " after it (" + lost.lowest + " to " + lost.highest + ")";
        Severity severity = clean || lost.count > 0 ? Severity.DAMAGE : Severity.NOTE;
        String context = severity == Severity.NOTE
                ? "; the directory was not closed cleanly, so this is a torn end (a crash, or a write in progress)"
                : clean ? "; the directory was closed cleanly, so nothing may be torn: this is damage" : "";
        add(severity, topic, stop.block.file.toString(), stop.block.indexInFile, stop.offset,
                stop.batchEntries > 0 ? stop.sequence - stop.batchEntries : stop.sequence,
                what + "; " + kept + dropped + context);
    }

    private static String describe(Stop stop) {
        return switch (stop.kind) {
            case BAD_CHECKSUM -> stop.foundSequence == stop.sequence
                    ? "does not verify: checksum mismatch"
                    : "is not there: an entry header numbered " + stop.foundSequence + " that does not verify stands in its place";
            case BAD_HEADER -> "is not there: the bytes where its header should be are not an entry header";
            case SHORT_FILE -> "is cut off: the file ends inside it";
            case ENTRY -> "is not there: entry " + stop.foundSequence + " stands in its place (out of order)";
            case EMPTY -> "is not there: the block ends";
            case SEAL -> "is not there: the block is sealed";
            case NO_ROOM -> "is not there: the block is full";
        };
    }

    // ------------------------------------------------------------------ cursors

    private void auditCursors() throws IOException {
        for (Path damaged : log.damagedCursors()) {
            add(Severity.DAMAGE, null, "cursors/" + damaged.getFileName(), -1, -1, -1,
                    "the cursor file does not verify: recovery reads its topic from the start again");
        }
        for (Map.Entry<String, Cursor> cursor : log.cursors().entrySet()) {
            String topic = cursor.getKey();
            var info = log.topic(topic);
            if (info.isEmpty()) {
                add(Severity.NOTE, topic, null, -1, -1, cursor.getValue().nextSequence(),
                        "a cursor exists for a topic with no entries in the log");
            } else if (cursor.getValue().nextSequence() > info.get().nextSequence()) {
                add(Severity.NOTE, topic, null, -1, -1, cursor.getValue().nextSequence(),
                        "the cursor is at entry " + cursor.getValue().nextSequence() + " but the log ends at entry "
                        + info.get().nextSequence() + " (entries lost in a crash); reading resumes at the end");
            }
        }
    }

    private void add(Severity severity, String topic, String file, int block, int offset, long sequence, String message) {
        problems.add(new Problem(severity, topic, file, block, offset, sequence, message));
    }
}
