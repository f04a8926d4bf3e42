package io.walrus.testing;

import io.walrus.Consumer;
import io.walrus.Entry;
import io.walrus.ReadConsistency;
import io.walrus.Walrus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Child JVM: several named consumers read {@code topic} under strictlyAtOnce(), each at its own pace:
 * in every round, consumer k (0-based) takes k + 1 entries, one readNext(checkpoint) at a time, and
 * the child prints {@code READ <k> <i>} after each returns entry {@code i} (payloads are
 * {@link Payloads#entry}). Prints {@code EXHAUSTED} once every consumer has consumed the topic and
 * {@code CORRUPT ...} (exit 2) on a payload that is not what was written, then waits to be killed.
 *
 * <p>Arguments: dataDir topic consumerName...
 */
public final class ConsumerCheckpointReader {
    private ConsumerCheckpointReader() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        String topic = args[1];
        Walrus wal = TestWals.small(dir).consistency(ReadConsistency.strictlyAtOnce()).open();
        List<Consumer> consumers = new ArrayList<>();
        for (String name : Arrays.copyOfRange(args, 2, args.length)) {
            consumers.add(wal.consumer(name));
        }
        boolean[] exhausted = new boolean[consumers.size()];
        int left = consumers.size();
        while (left > 0) {
            for (int k = 0; k < consumers.size(); k++) {
                for (int n = 0; n <= k && !exhausted[k]; n++) {
                    Optional<Entry> next = consumers.get(k).readNext(topic, true);
                    if (next.isEmpty()) {
                        exhausted[k] = true;
                        left--;
                        break;
                    }
                    byte[] data = next.get().data();
                    long i = Payloads.indexOf(data);
                    if (!Arrays.equals(data, Payloads.entry(topic, i))) {
                        ChildSupport.say("CORRUPT " + Payloads.describe(data));
                        System.exit(2);
                    }
                    ChildSupport.say("READ " + k + " " + i);
                }
            }
        }
        ChildSupport.say("EXHAUSTED");
        ChildSupport.awaitKill();
    }
}
