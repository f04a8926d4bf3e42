package io.walrus.torture;

import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.Entry;
import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;
import io.walrus.cursor.Cursor;
import io.walrus.cursor.CursorStore;
import io.walrus.format.RetentionManifest;
import io.walrus.retention.RetentionStore;
import io.walrus.testing.ChildJvm;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments: a child JVM appends (single and batch) and reads with checkpoints on
 * three topics under a randomly chosen fsync schedule and consistency mode, and is killed after a
 * random number of its acknowledgements (zero included: killed while starting or recovering). After
 * each kill the directory is reopened and every invariant checked:
 * <ul>
 *   <li>open() does not throw, whatever the kill left;</li>
 *   <li>the log holds every acknowledged entry, in order, each exactly as written, every batch whole,
 *       and nothing but at most the one append in flight per topic (a kill loses no page cache, so this
 *       holds under every fsync schedule; power loss is the case only sync-each covers);</li>
 *   <li>the cursor: under strictlyAtOnce() no entry a checkpointed read returned is handed out again;
 *       under atLeastOnce(n) at most n are; and no cursor moved past entries beyond the read in flight.</li>
 * </ul>
 * Several kills hit one directory in turn, so recovery also runs over what earlier recoveries left.
 */
class KillPointCampaignTest {
    private static final int TOPICS = 3;
    private static final int KILLS_PER_DIRECTORY = 5;
    private static final int MAX_LINES_BEFORE_KILL = 400;

    @TempDir
    Path scratch;

    @Test
    void everyInvariantHoldsAfterKill9AtRandomMoments() throws IOException {
        int killPoints = TortureSettings.killPoints();
        long seed = TortureSettings.seed();
        Random random = new Random(seed);
        System.out.println("kill-point campaign: " + killPoints + " kill points, seed " + seed);
        DirectoryHistory history = null;
        Tally tally = new Tally();
        for (int k = 0; k < killPoints; k++) {
            if (k % KILLS_PER_DIRECTORY == 0) {
                if (history != null) {
                    history.delete();
                }
                history = new DirectoryHistory(Files.createDirectory(scratch.resolve("dir-" + k)), tally);
            }
            KillPoint point = KillPoint.random(k, random);
            tally.count(point);
            try {
                history.survive(point, scratch.resolve("copy-" + k));
            } catch (AssertionError e) {
                throw new AssertionError("kill point " + k + " of " + killPoints + " (" + point + ") failed; "
                        + TortureSettings.replay(seed, TortureSettings.KILL_POINTS, k + 1) + "\n" + e.getMessage(), e);
            }
        }
        System.out.println("kill-point campaign: " + tally);
    }

    /** What the campaign went through, for its report. */
    private static final class Tally {
        final Map<String, Integer> schedules = new TreeMap<>();
        final Map<String, Integer> modes = new TreeMap<>();
        int killedWhileStarting;
        long acknowledgements;
        long checkpointedReads;
        long entriesVerified;
        /** Kill points after which the log no longer started at entry 0: consumed files had been deleted. */
        int killsAfterDeletion;

        void count(KillPoint point) {
            schedules.merge(point.fsync().replaceFirst(":.*", ":n"), 1, Integer::sum);
            modes.merge(point.consistency().replaceFirst(":.*", ":n"), 1, Integer::sum);
            if (point.linesBeforeKill() == 0) {
                killedWhileStarting++;
            }
        }

        @Override
        public String toString() {
            return "fsync " + schedules + ", consistency " + modes + ", " + killedWhileStarting
                    + " killed before their first output line, " + acknowledgements + " acknowledged appends and "
                    + checkpointedReads + " checkpointed reads seen, " + entriesVerified + " entries verified after kills, "
                    + killsAfterDeletion + " kills after consumed files were deleted";
        }
    }

    /** What one kill does: the child's schedule and mode, and after how many output lines it dies. */
    record KillPoint(int number, String fsync, String consistency, int linesBeforeKill, long childSeed) {
        static KillPoint random(int number, Random random) {
            String fsync = switch (random.nextInt(3)) {
                case 0 -> "sync";
                case 1 -> "ms:" + (1 + random.nextInt(50));
                default -> "none";
            };
            String consistency = random.nextBoolean() ? "strict" : "atleast:" + (1 + random.nextInt(20));
            int lines = random.nextInt(10) == 0 ? 0 : random.nextInt(MAX_LINES_BEFORE_KILL);
            return new KillPoint(number, fsync, consistency, lines, random.nextLong());
        }

        /** Entries a checkpointed read may have returned without the test seeing it: replay allowance under atLeastOnce. */
        int persistEvery() {
            return consistency.equals("strict") ? 1 : Integer.parseInt(consistency.substring("atleast:".length()));
        }
    }

    /** One directory through several kills, and what the children said about it. */
    private static final class DirectoryHistory {
        private final Path dir;
        private final long[] highestAck = filled(-1);
        private final long[] highestRead = filled(-1);
        /**
         * Entries up to {@code highestRead} that may come again: the replay allowance (n - 1) of the
         * atLeastOnce(n) child that read furthest, 0 under strictlyAtOnce.
         */
        private final long[] replayAllowance = new long[TOPICS];
        private final long[] nextToAppend = new long[TOPICS];
        private final Tally tally;

        DirectoryHistory(Path dir, Tally tally) {
            this.dir = dir;
            this.tally = tally;
        }

        void survive(KillPoint point, Path copy) throws IOException {
            String starts = LongStream.of(nextToAppend).mapToObj(Long::toString).collect(Collectors.joining(","));
            try (ChildJvm child = ChildJvm.start(TortureChild.class, dir.toString(), Long.toString(point.childSeed()),
                    point.fsync(), point.consistency(), starts)) {
                for (int lines = 0; lines < point.linesBeforeKill(); lines++) {
                    String line = child.nextLine();
                    if (line == null) {
                        fail("the child stopped before it was killed" + child.diagnostics());
                    }
                    record(line, point, child);
                }
                for (String line : child.killAndDrain()) {
                    record(line, point, child);
                }
            }
            checkLog(copy);
            checkCursors(point);
        }

        /**
         * The whole log, read from its start on a copy without cursors (the original's cursors stay
         * put). Its start is entry 0, or the retention floor where consumed files were deleted; a
         * floor must never pass the persisted cursor (deleting what was not consumed).
         */
        private void checkLog(Path copy) throws IOException {
            ScratchFiles.copyWithoutCursors(dir, copy);
            List<String> violations = new ArrayList<>();
            Map<String, RetentionManifest.Floor> floors = RetentionStore.read(copy).floors();
            Map<String, Cursor> cursors = CursorStore.readAll(dir, new ArrayList<>());
            if (!floors.isEmpty()) {
                tally.killsAfterDeletion++;
            }
            try (Walrus wal = TestWals.small(copy).fsync(FsyncSchedule.noFsync()).open()) {
                for (int t = 0; t < TOPICS; t++) {
                    String topic = TortureChild.topic(t);
                    long floor = floors.containsKey(topic) ? floors.get(topic).sequence() : 0;
                    long cursor = cursors.containsKey(topic) ? cursors.get(topic).nextSequence() : 0;
                    if (floor > cursor) {
                        violations.add(topic + ": entries from " + cursor + " to " + (floor - 1)
                                + " were deleted but never consumed (retention floor " + floor + ")");
                    }
                    TopicAudit audit = new TopicAudit(topic, floor);
                    List<Entry> batch;
                    while (!(batch = wal.batchReadForTopic(topic, 1 << 20, true)).isEmpty()) {
                        batch.forEach(e -> audit.accept(e.data()));
                    }
                    audit.end();
                    violations.addAll(audit.violations());
                    tally.entriesVerified += audit.count();
                    long recovered = audit.nextIndex() - 1;
                    if (recovered < highestAck[t]) {
                        violations.add(topic + ": acknowledged entries lost: highest acknowledged " + highestAck[t]
                                + ", log ends at " + recovered);
                    }
                    // What the log was known to hold before this child: every acknowledged entry, and
                    // also the last recovery's end, which can lie past them by the append an earlier
                    // child had in flight (recovered whole, and built on by this child).
                    long knownEnd = Math.max(highestAck[t], nextToAppend[t] - 1);
                    if (recovered > knownEnd + TortureChild.MAX_BATCH) {
                        violations.add(topic + ": log ends at " + recovered + ", beyond the highest acknowledged "
                                + highestAck[t] + ", the end the last recovery found, " + (nextToAppend[t] - 1)
                                + ", and the one append that can have been in flight");
                    }
                    nextToAppend[t] = recovered + 1;
                }
            }
            ScratchFiles.deleteTree(copy);
            if (!violations.isEmpty()) {
                fail("log invariants broken:\n  " + String.join("\n  ", violations));
            }
        }

        /** The cursor against the reads the child reported, under the mode it ran with. */
        private void checkCursors(KillPoint point) throws IOException {
            List<String> violations = new ArrayList<>();
            try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync())
                    .consistency(TortureChild.consistency(point.consistency())).open()) {
                for (int t = 0; t < TOPICS; t++) {
                    String topic = TortureChild.topic(t);
                    Optional<Entry> first = wal.readNext(topic, false);
                    long firstIndex;
                    try {
                        firstIndex = first.isPresent() ? TortureEntry.decode(first.get().data()).index() : nextToAppend[t];
                    } catch (TortureEntry.BadPayload bad) {
                        violations.add(topic + ": the entry at the cursor is not one that was written: " + bad.getMessage());
                        continue;
                    }
                    long lowest = highestRead[t] + 1 - replayAllowance[t];
                    long highest = highestRead[t] + 1 + inFlightReadEntries(topic, highestRead[t] + 1);
                    if (firstIndex < lowest) {
                        violations.add(topic + ": cursor at " + firstIndex + " after reads up to " + highestRead[t]
                                + " were reported: " + (replayAllowance[t] == 0 ? "checkpointed entries would be handed out again"
                                : "more than " + replayAllowance[t] + " entries would be replayed under atLeastOnce"));
                    }
                    if (firstIndex > Math.min(highest, nextToAppend[t])) {
                        violations.add(topic + ": cursor at " + firstIndex + " skips entries: reads were reported up to "
                                + highestRead[t] + " and at most " + (highest - highestRead[t] - 1) + " more can have been in flight");
                    }
                }
            }
            if (!violations.isEmpty()) {
                fail("cursor invariants broken:\n  " + String.join("\n  ", violations));
            }
        }

        private void record(String line, KillPoint point, ChildJvm child) {
            String[] parts = line.split(" ", 3);
            switch (parts[0]) {
                case "ACK" -> {
                    tally.acknowledgements++;
                    int t = Integer.parseInt(parts[1]);
                    highestAck[t] = Math.max(highestAck[t], Long.parseLong(parts[2]));
                }
                case "READ" -> {
                    tally.checkpointedReads++;
                    int t = Integer.parseInt(parts[1]);
                    long index = Long.parseLong(parts[2]);
                    if (index > highestRead[t]) {
                        highestRead[t] = index;
                        replayAllowance[t] = point.persistEvery() - 1;
                    }
                }
                case "BAD" -> fail("the child read something that was not written: " + parts[1] + " " + parts[2]
                        + child.diagnostics());
                default -> fail("unexpected line from the child: " + line + child.diagnostics());
            }
        }

        void delete() throws IOException {
            ScratchFiles.deleteTree(dir);
        }
    }

    /**
     * How many entries one checkpointed read starting at {@code index} can have returned: a batch read
     * returns entries while they fit in {@link TortureChild#MAX_READ_BYTES} (and always one). Entry
     * sizes follow from the index alone; batch membership does not change them, so index 0's batch
     * fields stand in.
     */
    private static long inFlightReadEntries(String topic, long index) {
        long bytes = 0;
        long count = 0;
        while (true) {
            int size = new TortureEntry(topic, index + count, index + count, 1).encode().length;
            if (count > 0 && bytes + size > TortureChild.MAX_READ_BYTES) {
                return count + 64; // a batch entry's header is longer ("+40" for "+1"): allow for it generously
            }
            bytes += size;
            count++;
        }
    }

    private static long[] filled(long value) {
        long[] array = new long[TOPICS];
        Arrays.fill(array, value);
        return array;
    }
}
