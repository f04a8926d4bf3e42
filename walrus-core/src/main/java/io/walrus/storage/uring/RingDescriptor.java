package io.walrus.storage.uring;

/**
 * The io_uring ABI this package speaks ({@code <linux/io_uring.h>}), as offsets. Only the fields
 * Walrus uses are named; the layouts are fixed by the kernel's user ABI.
 *
 * <pre>
 * struct io_uring_params (120 bytes), filled in by io_uring_setup:
 *   0 sq_entries   4 cq_entries   8 flags   12 sq_thread_cpu   16 sq_thread_idle   20 features
 *  24 wq_fd       28 resv[3]
 *  40 sq_off: head tail ring_mask ring_entries flags dropped array resv1 (u32 each) resv2 (u64)
 *  80 cq_off: head tail ring_mask ring_entries overflow cqes flags resv1 (u32 each) resv2 (u64)
 *
 * struct io_uring_sqe (64 bytes), one submission:
 *   0 opcode (u8)   1 flags (u8)   2 ioprio (u16)   4 fd (s32)
 *   8 off (u64)    16 addr (u64)  24 len (u32)     28 rw_flags / fsync_flags (u32)
 *  32 user_data (u64)   40 buf_index, personality, splice_fd_in, addr3, pad: zero
 *
 * struct io_uring_cqe (16 bytes), one completion:
 *   0 user_data (u64)   8 res (s32: bytes done, or -errno)   12 flags (u32)
 * </pre>
 *
 * <p>The SQ ring holds head, tail, mask and an index array into the SQE array; the CQ ring holds
 * head, tail, mask and the CQEs themselves. They are mapped from the ring's fd at fixed offsets;
 * with {@link #FEAT_SINGLE_MMAP} one mapping serves both rings.
 */
final class RingDescriptor {
    static final int PARAMS_SIZE = 120;
    static final int PARAMS_SQ_ENTRIES = 0;
    static final int PARAMS_CQ_ENTRIES = 4;
    static final int PARAMS_FEATURES = 20;
    static final int PARAMS_SQ_OFF = 40;
    static final int PARAMS_CQ_OFF = 80;

    static final int SQ_OFF_HEAD = 0;
    static final int SQ_OFF_TAIL = 4;
    static final int SQ_OFF_RING_MASK = 8;
    static final int SQ_OFF_RING_ENTRIES = 12;
    static final int SQ_OFF_ARRAY = 24;

    static final int CQ_OFF_HEAD = 0;
    static final int CQ_OFF_TAIL = 4;
    static final int CQ_OFF_RING_MASK = 8;
    static final int CQ_OFF_RING_ENTRIES = 12;
    static final int CQ_OFF_CQES = 20;

    static final int SQE_SIZE = 64;
    static final int SQE_OPCODE = 0;
    static final int SQE_FLAGS = 1;
    static final int SQE_FD = 4;
    static final int SQE_OFF = 8;
    static final int SQE_ADDR = 16;
    static final int SQE_LEN = 24;
    static final int SQE_OP_FLAGS = 28;
    static final int SQE_USER_DATA = 32;
    static final int SQE_TAIL = 40;

    static final int CQE_SIZE = 16;
    static final int CQE_USER_DATA = 0;
    static final int CQE_RES = 8;

    static final long OFF_SQ_RING = 0L;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;

    static final int FEAT_SINGLE_MMAP = 1;

    static final byte OP_NOP = 0;
    static final byte OP_FSYNC = 3;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;

    /** sqe.flags: the next SQE starts only after this one completed in full. */
    static final byte IOSQE_IO_LINK = 1 << 2;
    /** sqe.fsync_flags: fdatasync rather than fsync. */
    static final int FSYNC_DATASYNC = 1;
    /** io_uring_enter flags: wait for min_complete completions. */
    static final int ENTER_GETEVENTS = 1;

    private RingDescriptor() {
    }
}
