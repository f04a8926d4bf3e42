package io.walrus.testing;

import io.walrus.FsyncSchedule;
import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Child JVM: one thread per topic {@code <prefix><t>} appends batches start, start + 1, ... of
 * {@link Payloads#batchSize} entries ({@link Payloads#batchEntry}) under syncEach() and prints
 * {@code ACK batch <t> <n>} after each batch append returns. Prints {@code DONE} if every thread
 * reaches its limit, then waits to be killed.
 *
 * <p>Arguments: dataDir backend topicPrefix starts seed maxBatches, where starts is the
 * comma-separated first batch number per topic (one topic per value).
 */
public final class CrashBatchAppender {
    private CrashBatchAppender() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        StorageBackend backend = StorageBackend.valueOf(args[1]);
        String prefix = args[2];
        int[] starts = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        long seed = Long.parseLong(args[4]);
        int maxBatches = Integer.parseInt(args[5]);
        Walrus wal = TestWals.small(dir, backend).fsync(FsyncSchedule.syncEach()).open();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < starts.length; t++) {
            int topicIndex = t;
            String topic = prefix + t;
            int start = starts[t];
            writers.add(Thread.ofPlatform().name("batch-writer-" + t).start(() -> {
                try {
                    for (int n = start; n < start + maxBatches; n++) {
                        int size = Payloads.batchSize(seed, topicIndex, n);
                        List<byte[]> batch = new ArrayList<>(size);
                        for (int j = 0; j < size; j++) {
                            batch.add(Payloads.batchEntry(topic, n, j));
                        }
                        wal.batchAppendForTopic(topic, batch);
                        ChildSupport.say("ACK batch " + topicIndex + " " + n);
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
