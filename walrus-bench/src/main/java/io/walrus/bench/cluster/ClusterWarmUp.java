package io.walrus.bench.cluster;

import io.walrus.bench.target.WriteTarget;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Untimed appends from every writer thread for a while before a cluster's first timed phase: fresh
 * server JVMs spend their first seconds compiling (the Walrus nodes' Ratis, gRPC and Netty: measured
 * 85 appends/s from 16 threads in the first 5 s, 250-360 once warm; the brokers' network and log
 * code likewise), which the embedded Walrus, in this JVM, does not pay.
 */
final class ClusterWarmUp {
    static final Duration DURATION = Duration.ofSeconds(15);
    /** About the mean of the writes benchmark's payloads (500 to 1,024 bytes). */
    private static final int PAYLOAD_BYTES = 760;

    private ClusterWarmUp() {
    }

    /** Appends through {@code target} from {@code threads} writers for {@link #DURATION}, then prints how many. */
    static void run(String name, WriteTarget target, int threads, PrintStream out) throws Exception {
        long end = System.nanoTime() + DURATION.toNanos();
        AtomicLong appended = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            WriteTarget.Appender appender = target.appender(t);
            writers.add(Thread.ofPlatform().name(name + "-warm-up-" + t).start(() -> {
                byte[] payload = new byte[PAYLOAD_BYTES];
                try {
                    while (System.nanoTime() < end && failure.get() == null) {
                        appender.append(payload);
                        appended.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        out.println(name + " warm-up: " + appended.get() + " untimed appends in " + DURATION.toSeconds() + " s");
    }
}
