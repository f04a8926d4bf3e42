package io.walrus.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small pool of direct buffers for staging I/O, shared by all topics so memory depends on the
 * number of threads doing I/O at once, not on the number of topics. Taking and returning a buffer
 * is a CAS on a slot; the hot path allocates only when more threads than slots do I/O at once.
 */
public final class BufferPool {
    /** Slots sit a cache line apart, so threads taking from neighbouring slots do not share one. */
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<ByteBuffer> slots;
    private final int slotCount;
    private final int bufferSize;

    public BufferPool(int slotCount, int bufferSize) {
        this.slots = new AtomicReferenceArray<>(slotCount * STRIDE);
        this.slotCount = slotCount;
        this.bufferSize = bufferSize;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer of {@link #bufferSize()} bytes, little-endian. */
    public ByteBuffer take() {
        int start = (int) (Thread.currentThread().threadId() % slotCount);
        for (int i = 0; i < slotCount; i++) {
            int slot = ((start + i) % slotCount) * STRIDE;
            ByteBuffer buffer = slots.get(slot);
            if (buffer != null && slots.compareAndSet(slot, buffer, null)) {
                return buffer.clear();
            }
        }
        return ByteBuffer.allocateDirect(bufferSize).order(io.walrus.format.FormatDescriptor.BYTE_ORDER);
    }

    public void give(ByteBuffer buffer) {
        int start = (int) (Thread.currentThread().threadId() % slotCount);
        for (int i = 0; i < slotCount; i++) {
            int slot = ((start + i) % slotCount) * STRIDE;
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, buffer)) {
                return;
            }
        }
        // Pool full: let the GC reclaim it.
    }
}
