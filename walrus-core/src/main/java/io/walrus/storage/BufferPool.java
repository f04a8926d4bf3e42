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

    /**
     * Where this thread looks first, the same slot each time, so a single writer takes back the buffer
     * it gave. Thread ids are spread by Fibonacci hashing (a multiply and a shift), which puts
     * consecutive ids in different slots as the modulo did, without its 64-bit division: this runs
     * twice per append, and the division was a visible part of it in profiles.
     */
    private int firstSlot() {
        long spread = (Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L) >>> 32;
        return (int) ((spread * slotCount) >>> 32);
    }

    /** A cleared buffer of {@link #bufferSize()} bytes, little-endian. */
    public ByteBuffer take() {
        int slot = firstSlot();
        for (int i = 0; i < slotCount; i++) {
            ByteBuffer buffer = slots.get(slot * STRIDE);
            if (buffer != null && slots.compareAndSet(slot * STRIDE, buffer, null)) {
                return buffer.clear();
            }
            slot = slot + 1 == slotCount ? 0 : slot + 1;
        }
        return ByteBuffer.allocateDirect(bufferSize).order(io.walrus.format.FormatDescriptor.BYTE_ORDER);
    }

    public void give(ByteBuffer buffer) {
        int slot = firstSlot();
        for (int i = 0; i < slotCount; i++) {
            if (slots.get(slot * STRIDE) == null && slots.compareAndSet(slot * STRIDE, null, buffer)) {
                return;
            }
            slot = slot + 1 == slotCount ? 0 : slot + 1;
        }
        // Pool full: let the GC reclaim it.
    }
}
