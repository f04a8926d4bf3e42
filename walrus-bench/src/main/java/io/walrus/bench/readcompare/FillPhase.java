package io.walrus.bench.readcompare;

import io.walrus.bench.target.WriteTarget;
import io.walrus.bench.workload.PayloadPool;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes what a data set's rows read: {@code entries} entries into each of {@code topics} topics,
 * one writer thread per topic as {@code bench-writes} writes them (the same seeded payloads of 500
 * to 1,024 random bytes), through the peer's own write target. Not a measurement: every target gets
 * the same entries, and its close makes them durable.
 */
final class FillPhase {
    private final int topics;
    private final long entries;
    private final PrintStream out;

    FillPhase(int topics, long entries, PrintStream out) {
        this.topics = topics;
        this.entries = entries;
        this.out = out;
    }

    /** Fills {@code directory} through {@code opener}; returns the payload bytes written. */
    long fill(String label, Path directory, WritePhase.TargetOpener opener) throws IOException {
        long start = System.nanoTime();
        long[] written = new long[topics];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (WriteTarget target = opener.open(directory)) {
            Thread[] threads = new Thread[topics];
            for (int topic = 0; topic < topics; topic++) {
                WriteTarget.Appender appender = target.appender(topic);
                PayloadPool payloads = new PayloadPool(topic, 0);
                int index = topic;
                threads[topic] = Thread.ofPlatform().name(label + "-fill-" + topic).daemon().start(() -> {
                    try {
                        long bytes = 0;
                        for (long i = 0; i < entries && failure.get() == null; i++) {
                            byte[] payload = payloads.next();
                            appender.append(payload);
                            bytes += payload.length;
                        }
                        written[index] = bytes;
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while filling " + label, e);
        }
        if (failure.get() != null) {
            throw new IOException("filling " + label + " failed: " + failure.get(), failure.get());
        }
        long bytes = 0;
        for (long topicBytes : written) {
            bytes += topicBytes;
        }
        out.println(String.format(Locale.ROOT, "[%s] wrote %d x %,d entries (%.1f MB) in %.1f s", label, topics,
                entries, bytes / 1e6, (System.nanoTime() - start) / 1e9));
        return bytes;
    }
}
