package io.walrus.jmh;

import io.walrus.Entry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The read path on a log of 1 KiB entries: {@code readNext} of one entry and a batch read of up to
 * 1 MiB (1,000 entries), both as peeks ({@code checkpoint == false}) so every invocation reads the
 * same entries and the log never runs dry. Each read still finds the entry, verifies its CRC32C and
 * copies the payload out; what a peek skips is moving and persisting the cursor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReadBenchmark {
    private static final String TOPIC = "jmh";
    private static final int ENTRY_BYTES = 1024;
    private static final int ENTRIES = 4_000;
    private static final int BATCH = 1_000;
    private static final long BATCH_READ_BYTES = 1L << 20;

    private ScratchWalrus log;

    @Setup(Level.Trial)
    public void fillLog() throws IOException {
        log = ScratchWalrus.open();
        SplittableRandom random = new SplittableRandom(ENTRY_BYTES);
        List<byte[]> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < ENTRIES; i++) {
            byte[] payload = new byte[ENTRY_BYTES];
            random.nextBytes(payload);
            batch.add(payload);
            if (batch.size() == BATCH) {
                log.walrus().batchAppendForTopic(TOPIC, batch);
                batch.clear();
            }
        }
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        log.close();
    }

    @Benchmark
    public Optional<Entry> readNext() throws IOException {
        return log.walrus().readNext(TOPIC, false);
    }

    /** About 1,000 entries a call: divide by that for the cost per entry. */
    @Benchmark
    public List<Entry> batchRead1MiB() throws IOException {
        return log.walrus().batchReadForTopic(TOPIC, BATCH_READ_BYTES, false);
    }
}
