package io.walrus.testing;

import io.walrus.FsyncSchedule;
import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Child JVM: one thread per topic {@code <prefix><t>} appends {@link Payloads#entry} start, start + 1,
 * ... under syncEach() and prints {@code ACK <t> <i>} after each append returns. Prints {@code DONE}
 * if every thread reaches its limit, then waits to be killed.
 *
 * <p>Arguments: dataDir backend topicPrefix starts maxPerTopic, where starts is the comma-separated
 * first index per topic (one topic per value).
 */
public final class CrashAppender {
    private CrashAppender() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        StorageBackend backend = StorageBackend.valueOf(args[1]);
        String prefix = args[2];
        long[] starts = Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
        int max = Integer.parseInt(args[4]);
        Walrus wal = TestWals.small(dir, backend).fsync(FsyncSchedule.syncEach()).open();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < starts.length; t++) {
            int topicIndex = t;
            String topic = prefix + t;
            long start = starts[t];
            writers.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                try {
                    for (long i = start; i < start + max; i++) {
                        wal.appendForTopic(topic, Payloads.entry(topic, i));
                        ChildSupport.say("ACK " + topicIndex + " " + i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        ChildSupport.say("DONE");
        ChildSupport.awaitKill();
    }
}
