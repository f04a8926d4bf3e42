package io.walrus.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code appendForTopic} of one payload under {@code noFsync()}: Walrus's own cost per append
 * (header, CRC32C, copy, publication) plus a buffered write, with no disk flush in the way. Each
 * iteration starts on a fresh, empty log, so 64 KiB appends do not fill the disk across iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AppendBenchmark {
    private static final String TOPIC = "jmh";

    @Param({"64", "1024", "65536"})
    public int payloadBytes;

    private byte[] payload;
    private ScratchWalrus log;

    @Setup(Level.Iteration)
    public void openEmptyLog() throws IOException {
        payload = new byte[payloadBytes];
        new SplittableRandom(payloadBytes).nextBytes(payload);
        log = ScratchWalrus.open();
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        log.close();
    }

    @Benchmark
    public void append() throws IOException {
        log.walrus().appendForTopic(TOPIC, payload);
    }
}
