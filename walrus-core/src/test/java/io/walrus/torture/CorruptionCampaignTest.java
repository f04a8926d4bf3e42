package io.walrus.torture;

import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.Entry;
import io.walrus.FsyncSchedule;
import io.walrus.Walrus;
import io.walrus.format.DataFileNames;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to closed files: a log of several topics, single appends and batches over many blocks and
 * files, is written and closed once; then, over and over, a copy of it gets one to three corruptions
 * ({@link Damage}: header and payload bit flips, zeroed sectors, truncations) and is reopened. Each
 * time open() must not throw, and every topic must read back as a prefix of what was written: each
 * entry exactly as written, in order, no batch torn. Every tenth copy must also take new appends and
 * keep them across another reopen: the instance stays usable after damage.
 */
class CorruptionCampaignTest {
    private static final int TOPICS = 3;
    private static final int ENTRIES_PER_TOPIC = 900;

    @TempDir
    Path scratch;

    @Test
    void damagedFilesReopenToAVerifiedPrefixOfEveryTopic() throws IOException {
        int corruptions = TortureSettings.corruptions();
        long seed = TortureSettings.seed();
        Random random = new Random(seed);
        System.out.println("corruption campaign: " + corruptions + " corruptions, seed " + seed);
        Path original = writeOriginal(scratch.resolve("original"), random);
        List<Damage.Layout> layouts = new ArrayList<>();
        for (Path file : dataFiles(original)) {
            layouts.add(Damage.layoutOf(file));
        }
        Map<String, Integer> byKind = new TreeMap<>();
        int injected = 0;
        for (int copyNumber = 0; injected < corruptions; copyNumber++) {
            Path copy = scratch.resolve("copy-" + copyNumber);
            ScratchFiles.copyWithoutCursors(original, copy);
            List<Damage> damages = new ArrayList<>();
            int count = Math.min(1 + random.nextInt(3), corruptions - injected);
            for (int d = 0; d < count; d++) {
                Damage damage = Damage.pick(layouts, copy, random);
                damage.apply();
                damages.add(damage);
                byKind.merge(damage.kind().name(), 1, Integer::sum);
            }
            injected += count;
            try {
                check(copy, copyNumber % 10 == 0);
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("copy " + copyNumber + " with " + damages + " failed; "
                        + TortureSettings.replay(seed, TortureSettings.CORRUPTIONS, injected) + "\n" + e.getMessage(), e);
            }
            ScratchFiles.deleteTree(copy);
        }
        System.out.println("corruption campaign: " + injected + " corruptions injected " + byKind + "; in "
                + foundAtRead + " copies a read found the damage (in a sealed block open did not read) before a reopen cut it");
    }

    private static Path writeOriginal(Path dir, Random random) throws IOException {
        try (Walrus wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open()) {
            long[] next = new long[TOPICS];
            while (next[0] < ENTRIES_PER_TOPIC || next[1] < ENTRIES_PER_TOPIC || next[2] < ENTRIES_PER_TOPIC) {
                int t = random.nextInt(TOPICS);
                String topic = TortureChild.topic(t);
                int size = random.nextInt(4) == 0 ? 1 + random.nextInt(TortureChild.MAX_BATCH) : 1;
                List<byte[]> batch = new ArrayList<>(size);
                for (int j = 0; j < size; j++) {
                    batch.add(new TortureEntry(topic, next[t] + j, next[t], size).encode());
                }
                if (size == 1) {
                    wal.appendForTopic(topic, batch.getFirst());
                } else {
                    wal.batchAppendForTopic(topic, batch);
                }
                next[t] += size;
            }
        }
        return dir;
    }

    /**
     * Opens the damaged copy and audits every topic; optionally appends, reopens and finds the new
     * entries after the prefix. Damage inside a sealed block that open took from its seal record
     * (docs/RELIABILITY.md, "Fast open") is found when it is read: the read throws an IOException
     * naming it, never returns it, and the next open reads every block and cuts the topic there, so
     * the copy is then checked again from scratch (without the cursors the first reads moved).
     */
    private static void check(Path copy, boolean appendAfter) throws IOException {
        try {
            checkOnce(copy, appendAfter);
        } catch (DamageFoundAtRead found) {
            foundAtRead++;
            if (Files.exists(copy.resolve(DataFileNames.SEALS_FILE))) {
                fail("damage was found at read, but the seal records are still trusted: " + found.getMessage());
            }
            ScratchFiles.deleteTree(copy.resolve(DataFileNames.CURSOR_DIRECTORY));
            try {
                checkOnce(copy, appendAfter);
            } catch (DamageFoundAtRead again) {
                fail("the open after damage was found at read did not cut it off: " + again.getMessage());
            }
        }
    }

    /** Copies whose damage a read found (in a block open trusted) before a reopen cut it. */
    private static int foundAtRead;

    /** A read threw because an entry in a block trusted at open does not verify. */
    private static final class DamageFoundAtRead extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DamageFoundAtRead(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static void checkOnce(Path copy, boolean appendAfter) throws IOException {
        long[] ends = new long[TOPICS];
        List<String> violations = new ArrayList<>();
        try (Walrus wal = TestWals.small(copy).fsync(FsyncSchedule.noFsync()).open()) {
            for (int t = 0; t < TOPICS; t++) {
                TopicAudit audit = audit(wal, TortureChild.topic(t), 0);
                violations.addAll(audit.violations());
                ends[t] = audit.nextIndex();
                if (appendAfter) {
                    String topic = TortureChild.topic(t);
                    wal.appendForTopic(topic, new TortureEntry(topic, ends[t], ends[t], 1).encode());
                }
            }
        }
        if (appendAfter && violations.isEmpty()) {
            try (Walrus wal = TestWals.small(copy).fsync(FsyncSchedule.noFsync()).open()) {
                for (int t = 0; t < TOPICS; t++) {
                    TopicAudit audit = audit(wal, TortureChild.topic(t), ends[t]);
                    violations.addAll(audit.violations());
                    if (audit.count() != 1) {
                        violations.add(TortureChild.topic(t) + ": the entry appended after the damage was not kept ("
                                + audit.count() + " entries after the prefix)");
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            fail("invariants broken:\n  " + String.join("\n  ", violations));
        }
    }

    private static TopicAudit audit(Walrus wal, String topic, long from) throws IOException {
        TopicAudit audit = new TopicAudit(topic, from);
        List<Entry> batch;
        try {
            while (!(batch = wal.batchReadForTopic(topic, 1 << 20, true)).isEmpty()) {
                batch.forEach(e -> audit.accept(e.data()));
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("is damaged")) {
                throw e;
            }
            throw new DamageFoundAtRead(e);
        }
        audit.end();
        return audit;
    }

    private static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> DataFileNames.fileSequence(p).isPresent()).sorted().toList();
        }
    }
}
