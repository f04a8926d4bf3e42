package io.walrus.testing;

import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.nio.file.Path;

/** The instance shapes tests and their child JVMs agree on. */
public final class TestWals {
    /** 64 KiB: the smallest block, so a few hundred entries cross blocks. */
    public static final int SMALL_BLOCK = 64 << 10;
    /** Four blocks per file, so a few hundred entries also cross data files. */
    public static final int SMALL_FILE_BLOCKS = 4;

    private TestWals() {
    }

    /** Small blocks and files under {@code dir} on the backend under test: rollover happens after a few hundred KiB. */
    public static Walrus.Builder small(Path dir) {
        return small(dir, TestBackend.current().storageBackend());
    }

    /** {@code Walrus.builder()} on the backend under test ({@link TestBackend}). */
    public static Walrus.Builder builder() {
        return Walrus.builder().backend(TestBackend.current().storageBackend());
    }

    public static Walrus.Builder small(Path dir, StorageBackend backend) {
        return Walrus.builder().dataDir(dir).blockSize(SMALL_BLOCK).blocksPerFile(SMALL_FILE_BLOCKS).backend(backend);
    }
}
