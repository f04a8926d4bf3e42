package io.walrus;

/** How data files are read and written. */
public enum StorageBackend {
    /** Positional reads and writes on a file descriptor (pread/pwrite). The default. */
    FD,
    /** Memory-mapped files. */
    MMAP
}
