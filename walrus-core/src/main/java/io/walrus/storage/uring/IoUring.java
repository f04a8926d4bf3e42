package io.walrus.storage.uring;

import static io.walrus.storage.uring.RingDescriptor.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One io_uring instance driven through FFM: a batch of operations (writes, reads, fsyncs) is
 * queued with {@code add...}, then {@link #run()} submits them all in one {@code io_uring_enter},
 * waits for every completion, and resubmits what the kernel left unfinished (short writes and
 * reads, {@code EINTR}, {@code EAGAIN}, and links cancelled because an earlier operation came up
 * short) until everything is done or an operation fails for real.
 *
 * <p>Memory ordering is the ring protocol's: SQEs are written with plain stores and published by a
 * release store of the SQ tail (the kernel loads it with acquire); completions are found by an
 * acquire load of the CQ tail and handed back by a release store of the CQ head.
 *
 * <p>Not thread-safe: one thread uses a ring at a time ({@link RingPool} hands them out).
 */
final class IoUring implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Arena arena;
    private final MemorySegment errno;
    private final int ringFd;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqRingLength;
    private final long cqRingLength;
    private final boolean singleMmap;
    private final int sqEntries;
    private final int sqMask;
    private final int cqMask;
    private final long sqHeadAt;
    private final long sqTailAt;
    private final long cqHeadAt;
    private final long cqTailAt;
    private final long cqesAt;
    private int sqTail;
    private int cqHead;
    private boolean closed;

    // The batch being built: one slot per operation, reused from batch to batch.
    private int count;
    private final byte[] opcode;
    private final boolean[] linkNext;
    private final int[] fd;
    private final long[] address;
    private final int[] remaining;
    private final long[] offset;
    private final int[] done;
    private final boolean[] finished;
    private final Object[] target;

    private IoUring(Arena arena, MemorySegment errno, int ringFd, MemorySegment params) throws IOException {
        this.arena = arena;
        this.errno = errno;
        this.ringFd = ringFd;
        this.sqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES);
        int features = params.get(ValueLayout.JAVA_INT, PARAMS_FEATURES);
        int sqOff = PARAMS_SQ_OFF;
        int cqOff = PARAMS_CQ_OFF;
        long sqLength = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_ARRAY) + (long) sqEntries * Integer.BYTES;
        long cqLength = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_CQES) + (long) cqEntries * CQE_SIZE;
        this.singleMmap = (features & FEAT_SINGLE_MMAP) != 0;
        if (singleMmap) {
            sqLength = cqLength = Math.max(sqLength, cqLength);
        }
        this.sqRingLength = sqLength;
        this.cqRingLength = cqLength;
        MemorySegment sq = null;
        MemorySegment cq = null;
        try {
            sq = map(sqLength, OFF_SQ_RING, "SQ ring");
            cq = singleMmap ? sq : map(cqLength, OFF_CQ_RING, "CQ ring");
            this.sqes = map((long) sqEntries * SQE_SIZE, OFF_SQES, "SQE array");
        } catch (IOException e) {
            if (cq != null && cq != sq) {
                Libc.munmap(cq, cqLength);
            }
            if (sq != null) {
                Libc.munmap(sq, sqLength);
            }
            throw e;
        }
        this.sqRing = sq;
        this.cqRing = cq;
        this.sqHeadAt = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_HEAD);
        this.sqTailAt = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_TAIL);
        this.sqMask = sqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_RING_MASK));
        this.cqHeadAt = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_HEAD);
        this.cqTailAt = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_TAIL);
        this.cqMask = cqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_RING_MASK));
        this.cqesAt = params.get(ValueLayout.JAVA_INT, cqOff + CQ_OFF_CQES);
        this.sqTail = (int) INT.getAcquire(sqRing, sqTailAt);
        this.cqHead = (int) INT.getAcquire(cqRing, cqHeadAt);
        // The index array maps ring slots to SQEs; slot i always uses SQE i, so it is written once.
        long arrayAt = params.get(ValueLayout.JAVA_INT, sqOff + SQ_OFF_ARRAY);
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(ValueLayout.JAVA_INT, arrayAt + (long) i * Integer.BYTES, i);
        }
        this.opcode = new byte[sqEntries];
        this.linkNext = new boolean[sqEntries];
        this.fd = new int[sqEntries];
        this.address = new long[sqEntries];
        this.remaining = new int[sqEntries];
        this.offset = new long[sqEntries];
        this.done = new int[sqEntries];
        this.finished = new boolean[sqEntries];
        this.target = new Object[sqEntries];
    }

    /**
     * A ring of {@code entries} submission slots (a power of two; the kernel rounds up otherwise).
     *
     * @throws UringException with the errno when the kernel refuses (ENOSYS: no io_uring; EPERM:
     *                        disabled by {@code kernel.io_uring_disabled} or a seccomp filter)
     */
    static IoUring open(int entries) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment errno = Libc.allocateErrno(arena);
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            int ringFd = Libc.ioUringSetup(errno, entries, params);
            if (ringFd < 0) {
                throw new UringException("io_uring_setup", Libc.errno(errno));
            }
            try {
                return new IoUring(arena, errno, ringFd, params);
            } catch (IOException | RuntimeException e) {
                Libc.close(ringFd);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private MemorySegment map(long length, long at, String what) throws IOException {
        MemorySegment region = Libc.mmapShared(errno, length, ringFd, at);
        if (region.address() == -1L) {
            throw new UringException("mmap of the " + what, Libc.errno(errno));
        }
        return region.reinterpret(length);
    }

    /** How many operations one batch may hold. */
    int capacity() {
        return sqEntries;
    }

    /** Operations queued so far. */
    int size() {
        return count;
    }

    /** Whether {@code more} operations still fit in this batch. */
    boolean hasRoom(int more) {
        return count + more <= sqEntries;
    }

    /**
     * Queues a write of {@code length} bytes from native memory at {@code from} to {@code position}
     * of {@code fileFd}; {@code owner} names the file in errors. With {@code linkNext} the next
     * queued operation starts only once this write has written everything.
     */
    int addWrite(int fileFd, long from, int length, long position, Object owner, boolean linkNext) {
        return add(OP_WRITE, fileFd, from, length, position, owner, linkNext);
    }

    /** Queues a read into native memory at {@code into}; {@link #result(int)} is the bytes read (short at end of file). */
    int addRead(int fileFd, long into, int length, long position, Object owner) {
        return add(OP_READ, fileFd, into, length, position, owner, false);
    }

    /** Queues an operation that does nothing: a round trip through the kernel, to prove the ring works. */
    int addNop() {
        return add(OP_NOP, -1, 0, 0, 0, "nothing", false);
    }

    /** Queues an fdatasync of {@code fileFd}. */
    int addFdatasync(int fileFd, Object owner, boolean linkNext) {
        return add(OP_FSYNC, fileFd, 0, 0, 0, owner, linkNext);
    }

    private int add(byte op, int fileFd, long at, int length, long position, Object owner, boolean link) {
        if (count == sqEntries) {
            throw new IllegalStateException("the ring holds at most " + sqEntries + " operations per batch");
        }
        int i = count++;
        opcode[i] = op;
        linkNext[i] = link;
        fd[i] = fileFd;
        address[i] = at;
        remaining[i] = length;
        offset[i] = position;
        done[i] = 0;
        finished[i] = false;
        target[i] = owner;
        return i;
    }

    /** Bytes the operation transferred (for reads: fewer than asked only at end of file). */
    int result(int op) {
        return done[op];
    }

    /** Forgets the batch (after {@link #run()}, or to abandon one). */
    void clear() {
        Arrays.fill(target, 0, count, null);
        count = 0;
    }

    /**
     * Submits every queued operation at once and returns when all have completed in full.
     *
     * @throws IOException naming the first operation that failed and its errno; operations linked
     *                     behind it did not run
     */
    void run() throws IOException {
        if (closed) {
            throw new IOException("the io_uring ring is closed");
        }
        IOException failure = null;
        int rounds = 0;
        while (failure == null) {
            int submitted = queuePending();
            if (submitted == 0) {
                return;
            }
            if (++rounds > 1000) {
                throw new IOException("io_uring made no progress after " + rounds + " resubmissions");
            }
            failure = await(submitted);
        }
        throw failure;
    }

    /** Writes an SQE for every unfinished operation, publishes them with one release store, returns how many. */
    private int queuePending() {
        int queued = 0;
        int lastQueuedSlot = -1;
        for (int i = 0; i < count; i++) {
            if (finished[i]) {
                continue;
            }
            long sqe = (long) (sqTail & sqMask) * SQE_SIZE;
            for (int word = 0; word < SQE_SIZE; word += Long.BYTES) {
                sqes.set(ValueLayout.JAVA_LONG, sqe + word, 0L);
            }
            sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_OPCODE, opcode[i]);
            sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, linksToNextPending(i) ? IOSQE_IO_LINK : 0);
            sqes.set(ValueLayout.JAVA_INT, sqe + SQE_FD, fd[i]);
            if (opcode[i] == OP_NOP) {
                // nothing but the opcode and user data
            } else if (opcode[i] == OP_FSYNC) {
                sqes.set(ValueLayout.JAVA_INT, sqe + SQE_OP_FLAGS, FSYNC_DATASYNC);
            } else {
                sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_OFF, offset[i] + done[i]);
                sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR, address[i] + done[i]);
                sqes.set(ValueLayout.JAVA_INT, sqe + SQE_LEN, remaining[i]);
            }
            sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_USER_DATA, i);
            lastQueuedSlot = (int) (sqe / SQE_SIZE);
            sqTail++;
            queued++;
        }
        if (lastQueuedSlot >= 0) {
            // A chain must not run on past the end of what was queued.
            long last = (long) lastQueuedSlot * SQE_SIZE;
            byte flags = sqes.get(ValueLayout.JAVA_BYTE, last + SQE_FLAGS);
            sqes.set(ValueLayout.JAVA_BYTE, last + SQE_FLAGS, (byte) (flags & ~IOSQE_IO_LINK));
            INT.setRelease(sqRing, sqTailAt, sqTail);
        }
        return queued;
    }

    /** Whether op {@code i} is linked, through finished ops that were linked too, to the next unfinished op. */
    private boolean linksToNextPending(int i) {
        for (int j = i; j < count - 1; j++) {
            if (!linkNext[j]) {
                return false;
            }
            if (!finished[j + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Enters the kernel until {@code submitted} completions are reaped; returns the first real failure. */
    private IOException await(int submitted) throws IOException {
        int reaped = 0;
        IOException failure = null;
        while (reaped < submitted) {
            int unconsumed = sqTail - (int) INT.getAcquire(sqRing, sqHeadAt);
            int entered = Libc.ioUringEnter(errno, ringFd, unconsumed, submitted - reaped, ENTER_GETEVENTS);
            if (entered < 0) {
                int error = Libc.errno(errno);
                if (error != Libc.EINTR && error != Libc.EAGAIN && error != Libc.EBUSY) {
                    throw new UringException("io_uring_enter", error);
                }
            }
            int tail = (int) INT.getAcquire(cqRing, cqTailAt);
            while (cqHead != tail) {
                long cqe = cqesAt + (long) (cqHead & cqMask) * CQE_SIZE;
                int op = (int) cqRing.get(ValueLayout.JAVA_LONG, cqe + CQE_USER_DATA);
                int res = cqRing.get(ValueLayout.JAVA_INT, cqe + CQE_RES);
                cqHead++;
                INT.setRelease(cqRing, cqHeadAt, cqHead);
                reaped++;
                IOException error = complete(op, res);
                if (failure == null) {
                    failure = error;
                }
            }
        }
        return failure;
    }

    /** Accounts one completion; returns an exception only for a real failure. */
    private IOException complete(int op, int res) {
        if (res < 0) {
            int error = -res;
            // Retried: interrupted or would block, or cancelled because a link before it came up short.
            if (error == Libc.EINTR || error == Libc.EAGAIN || error == Libc.ECANCELED) {
                return null;
            }
            finished[op] = true;
            return new UringException(describe(op), error);
        }
        if (opcode[op] == OP_FSYNC || opcode[op] == OP_NOP) {
            finished[op] = true;
            return null;
        }
        done[op] += res;
        remaining[op] -= res;
        if (remaining[op] == 0 || (opcode[op] == OP_READ && res == 0)) {
            finished[op] = true;
        } else if (res == 0) {
            finished[op] = true;
            return new IOException(describe(op) + " wrote nothing with " + remaining[op] + " bytes left");
        }
        return null;
    }

    private String describe(int op) {
        return switch (opcode[op]) {
            case OP_WRITE -> "io_uring write of " + (remaining[op] + done[op]) + " bytes at " + offset[op] + " of " + target[op];
            case OP_READ -> "io_uring read of " + (remaining[op] + done[op]) + " bytes at " + offset[op] + " of " + target[op];
            case OP_FSYNC -> "io_uring fdatasync of " + target[op];
            default -> "io_uring operation " + opcode[op] + " on " + target[op];
        };
    }

    /** Unmaps the rings and closes the ring's fd; the kernel cancels nothing, as no batch is in flight. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.munmap(sqes, (long) sqEntries * SQE_SIZE);
        if (!singleMmap) {
            Libc.munmap(cqRing, cqRingLength);
        }
        Libc.munmap(sqRing, sqRingLength);
        Libc.close(ringFd);
        arena.close();
    }
}
