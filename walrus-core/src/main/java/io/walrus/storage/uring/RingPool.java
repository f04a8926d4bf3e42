package io.walrus.storage.uring;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The rings of one instance: a thread takes one for a batch and gives it back, so threads never
 * share a ring mid-batch and an idle instance holds only as many rings as ever ran at once. All of
 * them are closed with the instance.
 */
final class RingPool implements AutoCloseable {
    private final int entries;
    private final ConcurrentLinkedQueue<IoUring> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<IoUring> all = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    RingPool(int entries) {
        this.entries = entries;
    }

    int entries() {
        return entries;
    }

    IoUring take() throws IOException {
        if (closed) {
            throw new IOException("the instance's io_uring rings are closed");
        }
        IoUring ring = idle.poll();
        if (ring == null) {
            ring = IoUring.open(entries);
            all.add(ring);
        }
        return ring;
    }

    void give(IoUring ring) {
        ring.clear();
        idle.add(ring);
    }

    /** Called once no batch runs any more (the instance waits for them before it closes). */
    @Override
    public void close() {
        closed = true;
        IoUring ring;
        while ((ring = all.poll()) != null) {
            ring.close();
        }
        idle.clear();
    }
}
