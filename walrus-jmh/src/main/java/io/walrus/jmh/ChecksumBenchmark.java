package io.walrus.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * CRC32C over 1 KiB, the checksum every Walrus entry carries (its header fields and payload) and
 * every read verifies: the JDK's intrinsic, so this is the floor of Walrus's integrity cost per
 * entry, and what the original's byte-at-a-time FNV-1a is to be compared with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ChecksumBenchmark {
    private final CRC32C crc = new CRC32C();
    private byte[] payload;

    @Setup
    public void makePayload() {
        payload = new byte[1024];
        new SplittableRandom(1024).nextBytes(payload);
    }

    @Benchmark
    public long crc32c1KiB() {
        crc.reset();
        crc.update(payload, 0, payload.length);
        return crc.getValue();
    }
}
