package io.walrus.bench.latency;

import io.walrus.bench.report.LatencyHistogram;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One phase: a sender stamps and sends at a fixed interval for the duration while a receiver waits
 * for each and records now minus the stamp. The sender never bursts to catch up after a late send,
 * so the receiver is parked (not busy with a backlog) when each stamp arrives: what is measured is
 * the wake-up path, append to waiting read returning.
 */
final class LatencyRun {
    /**
     * Sent before the measured part and not recorded: the first append creates and preallocates a data
     * file, and the JIT compiles both paths.
     */
    static final Duration WARM_UP = Duration.ofSeconds(1);
    /**
     * How long the receiver waits per call; a call that times out simply waits again. After the sender
     * stops, one call that times out ends the phase.
     */
    private static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(100);

    /** What a phase measured. */
    record Result(String name, LatencyHistogram latencies, long sent, long received) {
    }

    private final Duration warmUp;
    private final Duration duration;
    private final long intervalNanos;

    LatencyRun(Duration warmUp, Duration duration, long intervalNanos) {
        this.warmUp = warmUp;
        this.duration = duration;
        this.intervalNanos = intervalNanos;
    }

    Result run(HandOff handOff) throws Exception {
        Result warmUp = runFor(handOff, this.warmUp);
        if (warmUp.received() != warmUp.sent()) {
            throw new IllegalStateException(handOff.name() + " warm-up: sent " + warmUp.sent() + " but received "
                    + warmUp.received());
        }
        return runFor(handOff, duration);
    }

    private Result runFor(HandOff handOff, Duration length) throws Exception {
        LatencyHistogram latencies = new LatencyHistogram();
        long[] sent = new long[1];
        long[] received = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().name("latency-sender").unstarted(() -> {
            try {
                sent[0] = send(handOff, length);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        Thread receiver = Thread.ofPlatform().name("latency-receiver").start(() -> {
            try {
                received[0] = receive(handOff, sender, latencies);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        sender.start();
        sender.join();
        receiver.join();
        if (failure.get() != null) {
            throw new IllegalStateException(handOff.name() + " phase failed", failure.get());
        }
        return new Result(handOff.name(), latencies, sent[0], received[0]);
    }

    private long send(HandOff handOff, Duration length) throws Exception {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long next = start;
        long count = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return count;
            }
            if (next - now > 0) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            handOff.send(System.nanoTime());
            count++;
            next = Math.max(next + intervalNanos, System.nanoTime());
        }
    }

    private static long receive(HandOff handOff, Thread sender, LatencyHistogram latencies) throws Exception {
        long count = 0;
        while (true) {
            long stamp = handOff.receive(RECEIVE_TIMEOUT);
            if (stamp >= 0) {
                latencies.record(System.nanoTime() - stamp);
                count++;
            } else if (!sender.isAlive()) {
                return count; // a whole timeout with nothing after the sender stopped: all has arrived
            }
        }
    }
}
