package io.walrus.storage.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc functions io_uring needs, as FFM downcalls: the variadic {@code syscall} (for
 * {@code io_uring_setup} and {@code io_uring_enter}, which libc does not wrap), {@code mmap},
 * {@code munmap}, {@code open}, {@code close} and {@code strerror}. Calls that can fail capture
 * {@code errno} right after the call, before the JVM can overwrite it.
 *
 * <p>Loaded lazily by {@link IoUringSupport}, and only on Linux x86-64 or aarch64 (the syscall
 * numbers are the same on both: 425 and 426 are in the generic table).
 */
final class Libc {
    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_POPULATE = 0x08000;
    static final int O_RDWR = 0x2;
    static final int O_CLOEXEC = 0x80000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int ENOSYS = 38;
    static final int ECANCELED = 125;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** long syscall(long nr, unsigned entries, struct io_uring_params *p) */
    private static final MethodHandle SYSCALL_SETUP = downcall("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    /** long syscall(long nr, int fd, unsigned to_submit, unsigned min_complete, unsigned flags, sigset_t *sig, size_t sz) */
    private static final MethodHandle SYSCALL_ENTER = downcall("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A segment for one call's captured errno; callers keep one per thread of use. */
    static MemorySegment allocateErrno(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment captured) {
        return (int) ERRNO.get(captured, 0L);
    }

    /** io_uring_setup: the ring's fd, or -1 with errno in {@code captured}. */
    static int ioUringSetup(MemorySegment captured, int entries, MemorySegment params) {
        try {
            return (int) (long) SYSCALL_SETUP.invokeExact(captured, SYS_IO_URING_SETUP, (long) entries, params);
        } catch (Throwable t) {
            throw new AssertionError("io_uring_setup downcall failed", t);
        }
    }

    /** io_uring_enter without a signal mask: how many SQEs were consumed, or -1 with errno in {@code captured}. */
    static int ioUringEnter(MemorySegment captured, int ringFd, int toSubmit, int minComplete, int flags) {
        try {
            return (int) (long) SYSCALL_ENTER.invokeExact(captured, SYS_IO_URING_ENTER, (long) ringFd,
                    (long) toSubmit, (long) minComplete, (long) flags, MemorySegment.NULL, 0L);
        } catch (Throwable t) {
            throw new AssertionError("io_uring_enter downcall failed", t);
        }
    }

    /** mmap of a ring region of {@code ringFd}; MAP_FAILED is returned as address -1. */
    static MemorySegment mmapShared(MemorySegment captured, long length, int ringFd, long offset) {
        try {
            return (MemorySegment) MMAP.invokeExact(captured, MemorySegment.NULL, length, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_POPULATE, ringFd, offset);
        } catch (Throwable t) {
            throw new AssertionError("mmap downcall failed", t);
        }
    }

    static void munmap(MemorySegment address, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw new AssertionError("munmap downcall failed", t);
        }
    }

    /** open(path, O_RDWR | O_CLOEXEC): an fd, or -1 with errno in {@code captured}. */
    static int openReadWrite(MemorySegment captured, MemorySegment cPath) {
        try {
            return (int) OPEN.invokeExact(captured, cPath, O_RDWR | O_CLOEXEC);
        } catch (Throwable t) {
            throw new AssertionError("open downcall failed", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError("close downcall failed", t);
        }
    }

    /** {@code "EIO (Input/output error)"}-style text for an errno value. */
    static String describe(int errno) {
        String text;
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            text = message.reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "unknown error";
        }
        return "errno " + errno + ", " + text;
    }
}
