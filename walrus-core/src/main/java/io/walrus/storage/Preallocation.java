package io.walrus.storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Gives a new file its full length up front. With {@code posix_fallocate} (through FFM) the blocks
 * are reserved, so later writes cannot fail for want of space and fdatasync has no allocation
 * metadata to flush; where that is not available (not Linux, or a file system that refuses) the file
 * is extended sparsely, which is correct but leaves allocation to the first write.
 */
final class Preallocation {
    private static final int O_WRONLY = 1;
    private static final MethodHandle OPEN;
    private static final MethodHandle POSIX_FALLOCATE;
    private static final MethodHandle CLOSE;

    static {
        MethodHandle open = null;
        MethodHandle fallocate = null;
        MethodHandle close = null;
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                fallocate = linker.downcallHandle(libc.find("posix_fallocate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG));
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError unavailable) {
                open = null;
            }
        }
        OPEN = open;
        POSIX_FALLOCATE = fallocate;
        CLOSE = close;
    }

    private Preallocation() {
    }

    static void preallocate(Path path, FileChannel channel, long length) throws IOException {
        if (!reserve(path, length)) {
            channel.write(ByteBuffer.wrap(new byte[1]), length - 1);
        }
        if (channel.size() != length) {
            throw new IOException("could not give " + path + " its length of " + length + " bytes; it has "
                    + channel.size());
        }
    }

    /** Returns whether the space was reserved natively; ENOSPC is an error, "not supported" is not. */
    private static boolean reserve(Path path, long length) throws IOException {
        if (OPEN == null) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path.toString());
            int fd = (int) OPEN.invokeExact(cPath, O_WRONLY);
            if (fd < 0) {
                return false;
            }
            try {
                int error = (int) POSIX_FALLOCATE.invokeExact(fd, 0L, length);
                if (error == 28 /* ENOSPC */) {
                    throw new IOException("no space left on device to preallocate " + length + " bytes for " + path);
                }
                return error == 0;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable unexpected) {
            return false;
        }
    }
}
