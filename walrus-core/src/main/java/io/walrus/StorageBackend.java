package io.walrus;

/** How data files are read and written. */
public enum StorageBackend {
    /** Positional reads and writes on a file descriptor (pread/pwrite). The default. */
    FD,
    /**
     * Memory-mapped files: each data file is mapped whole (any size) and unmapped when the instance
     * closes; an append is a copy into the mapping, a sync-each flush an msync of the range written.
     * The files are the same as the FD backend's: either backend opens the other's directory.
     */
    MMAP
}
