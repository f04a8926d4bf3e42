package io.walrus.bench.iopaths;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Drops a file's clean pages from the page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)}), so
 * the next read of them goes to the disk: how a reader behind a restart, or far behind the
 * writers, finds the log. Linux only; the pages must have been written back (fsync) first.
 */
public final class PageCacheEviction implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FADVISE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_fadvise").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Path path;
    private final int fd;

    private PageCacheEviction(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static PageCacheEviction of(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), O_RDONLY);
            if (fd < 0) {
                throw new IOException("open of " + path + " to drop its cached pages failed");
            }
            return new PageCacheEviction(path, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("open of " + path + " failed: " + e, e);
        }
    }

    /** Drops {@code length} bytes from {@code position} out of the page cache; a length of 0 means to the end. */
    public void evict(long position, long length) throws IOException {
        int error;
        try {
            error = (int) FADVISE.invokeExact(fd, position, length, POSIX_FADV_DONTNEED);
        } catch (Throwable e) {
            throw new IOException("posix_fadvise of " + path + " failed: " + e, e);
        }
        if (error != 0) {
            throw new IOException("posix_fadvise(DONTNEED) of " + path + " failed with errno " + error);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IOException("close of " + path + " failed: " + e, e);
        }
    }
}
