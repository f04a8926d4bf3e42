package io.walrus.testing;

import io.walrus.StorageBackend;
import io.walrus.storage.DataFiles;
import io.walrus.storage.uring.IoUringSupport;

import java.util.Locale;

/**
 * The I/O path the test suite runs on: one behaviour, three paths. {@code make test} runs the
 * suite once per path (one surefire execution each), choosing with the system property
 * {@code walrus.test.backend}:
 *
 * <ul>
 *   <li>{@code fd-uring}: the FD backend with io_uring for batches and flushes (where the kernel
 *       allows it; the default when it does);</li>
 *   <li>{@code fd}: the FD backend on FileChannel alone (that execution also sets
 *       {@code WALRUS_DISABLE_IO_URING=1}, so instances opened through the public API fall back too);</li>
 *   <li>{@code mmap}: the mmap backend.</li>
 * </ul>
 *
 * Tests open instances through {@link TestWals} and the engine through {@code LogFixture}, which
 * both ask {@link #current()}; child JVMs inherit the property ({@link ChildJvm}).
 */
public enum TestBackend {
    FD("fd", StorageBackend.FD),
    FD_URING("fd-uring", StorageBackend.FD),
    MMAP("mmap", StorageBackend.MMAP);

    public static final String PROPERTY = "walrus.test.backend";

    private final String label;
    private final StorageBackend storageBackend;

    TestBackend(String label, StorageBackend storageBackend) {
        this.label = label;
        this.storageBackend = storageBackend;
    }

    /** The path under test: the property's, else FD with io_uring where it works. */
    public static TestBackend current() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return IoUringSupport.available() ? FD_URING : FD;
        }
        return parse(value);
    }

    public static TestBackend parse(String value) {
        for (TestBackend backend : values()) {
            if (backend.label.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " must be fd, fd-uring or mmap, not '" + value + "'");
    }

    public String label() {
        return label;
    }

    /** What to pass to {@code Walrus.Builder.backend}. */
    public StorageBackend storageBackend() {
        return storageBackend;
    }

    /** The public backend that is not this one, for tests that hand a directory from one to the other. */
    public StorageBackend otherStorageBackend() {
        return storageBackend == StorageBackend.FD ? StorageBackend.MMAP : StorageBackend.FD;
    }

    /** How the engine opens data files on this path. */
    public DataFiles dataFiles() {
        return switch (this) {
            case FD -> DataFiles.CHANNEL;
            case FD_URING -> IoUringSupport.available() ? IoUringSupport.URING_FILES : DataFiles.CHANNEL;
            case MMAP -> DataFiles.MMAP;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
