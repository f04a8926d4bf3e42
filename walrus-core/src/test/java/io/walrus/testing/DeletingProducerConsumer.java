package io.walrus.testing;

import io.walrus.Consumer;
import io.walrus.Entry;
import io.walrus.FsyncSchedule;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Child JVM: appends entries {@code start, start + 1, ...} to {@code topic} ({@link Payloads#entry})
 * while the default consumer and the named consumer {@code named} read them with checkpoints under
 * strictlyAtOnce(), and consumed files are deleted every 5 ms, so a kill lands during deletion as
 * often as not. Prints {@code ACK i} after append i returns, {@code DREAD i} / {@code NREAD i} after
 * the default / named consumer's readNext(checkpoint) returned entry i, and {@code CORRUPT ...}
 * (exit 2) on a payload that is not what was written. Runs until killed.
 *
 * <p>Arguments: dataDir topic start fsync (none | sync)
 */
public final class DeletingProducerConsumer {
    private DeletingProducerConsumer() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        String topic = args[1];
        long next = Long.parseLong(args[2]);
        FsyncSchedule fsync = args[3].equals("sync") ? FsyncSchedule.syncEach() : FsyncSchedule.noFsync();
        try (Walrus wal = TestWals.small(dir).consistency(ReadConsistency.strictlyAtOnce()).fsync(fsync)
                .deleteConsumedFilesEvery(Duration.ofMillis(5)).open()) {
            Consumer named = wal.consumer("named");
            while (true) {
                for (int n = 0; n < 3; n++) {
                    wal.appendForTopic(topic, Payloads.entry(topic, next));
                    ChildSupport.say("ACK " + next++);
                }
                for (int n = 0; n < 3; n++) {
                    report("DREAD", topic, wal.readNext(topic, true));
                    report("NREAD", topic, named.readNext(topic, true));
                }
            }
        }
    }

    private static void report(String what, String topic, Optional<Entry> entry) {
        if (entry.isEmpty()) {
            return;
        }
        byte[] data = entry.get().data();
        long i = Payloads.indexOf(data);
        if (!Arrays.equals(data, Payloads.entry(topic, i))) {
            ChildSupport.say("CORRUPT " + Payloads.describe(data));
            System.exit(2);
        }
        ChildSupport.say(what + " " + i);
    }
}
