package io.walrus.bench.latency;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the same timestamps through an in-memory {@link ArrayBlockingQueue}, received with
 * {@code poll(timeout)}. It measures what waking a parked thread costs on this machine, the floor
 * under any waiting read; Walrus adds the append and the read of the entry.
 */
final class QueueHandOff implements HandOff {
    private final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(1 << 16);

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public void send(long stampNanos) throws InterruptedException {
        queue.put(stampNanos);
    }

    @Override
    public long receive(Duration timeout) throws InterruptedException {
        Long stamp = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return stamp == null ? -1 : stamp;
    }

    @Override
    public void close() {
        queue.clear();
    }
}
