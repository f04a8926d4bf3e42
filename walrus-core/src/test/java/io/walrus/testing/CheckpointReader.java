package io.walrus.testing;

import io.walrus.Entry;
import io.walrus.ReadConsistency;
import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Child JVM: reads {@code topic} with checkpoint=true, one readNext at a time, and prints
 * {@code READ <i>} after each returns entry {@code i} (payloads are {@link Payloads#entry}). Prints
 * {@code EXHAUSTED} when the topic is consumed, {@code CORRUPT ...} and exits 2 on a payload that is
 * not what was written, then waits to be killed.
 *
 * <p>Arguments: dataDir backend persistEvery topic [saveAhead] (persistEvery 0 means strictlyAtOnce();
 * saveAhead, when given, is the {@code walrus.cursor.saveAhead} property: paced, always or never)
 */
public final class CheckpointReader {
    private CheckpointReader() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        StorageBackend backend = StorageBackend.valueOf(args[1]);
        int persistEvery = Integer.parseInt(args[2]);
        String topic = args[3];
        if (args.length > 4) {
            System.setProperty(SaveAhead.PROPERTY, args[4]);
        }
        ReadConsistency mode = persistEvery == 0
                ? ReadConsistency.strictlyAtOnce() : ReadConsistency.atLeastOnce(persistEvery);
        Walrus wal = TestWals.small(dir, backend).consistency(mode).open();
        while (true) {
            Optional<Entry> next = wal.readNext(topic, true);
            if (next.isEmpty()) {
                break;
            }
            byte[] data = next.get().data();
            long i = Payloads.indexOf(data);
            if (!Arrays.equals(data, Payloads.entry(topic, i))) {
                ChildSupport.say("CORRUPT " + Payloads.describe(data));
                System.exit(2);
            }
            ChildSupport.say("READ " + i);
        }
        ChildSupport.say("EXHAUSTED");
        ChildSupport.awaitKill();
    }
}
