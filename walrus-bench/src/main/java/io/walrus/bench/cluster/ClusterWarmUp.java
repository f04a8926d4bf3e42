package io.walrus.bench.cluster;

import io.walrus.bench.target.WriteTarget;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Untimed appends from every writer thread before a cluster's first timed phase, until their rate is
 * steady ({@link WarmUpWindows}): fresh server JVMs spend their first seconds, here their first
 * minute, compiling (the Walrus nodes' Ratis, gRPC and Netty; the brokers' network and log code
 * likewise), which the embedded Walrus, in this JVM, does not pay.
 */
final class ClusterWarmUp {
    /** About the mean of the writes benchmark's payloads (500 to 1,024 bytes). */
    private static final int PAYLOAD_BYTES = 760;

    private ClusterWarmUp() {
    }

    /** Appends through {@code target} from {@code threads} writers until {@code windows} says steady, printing each window's rate. */
    static void run(String name, WriteTarget target, int threads, WarmUpWindows windows, PrintStream out)
            throws Exception {
        AtomicLong appended = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            WriteTarget.Appender appender = target.appender(t);
            writers.add(Thread.ofPlatform().name(name + "-warm-up-" + t).start(() -> {
                byte[] payload = new byte[PAYLOAD_BYTES];
                try {
                    while (!stop.get()) {
                        appender.append(payload);
                        appended.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            }));
        }
        try {
            long counted = 0;
            boolean steady = false;
            while (!steady && failure.get() == null) {
                Thread.sleep(WarmUpWindows.WINDOW);
                long now = appended.get();
                long window = now - counted;
                counted = now;
                steady = windows.steadyAfter(window);
                out.println(String.format(Locale.ROOT, "%s warm-up: %d s, %,.0f appends/s%s", name,
                        windows.windows() * WarmUpWindows.WINDOW.toSeconds(),
                        window / (double) WarmUpWindows.WINDOW.toSeconds(), steady ? " (steady or at its limit)" : ""));
            }
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
