package io.walrus.storage.uring;

import io.walrus.storage.BatchIo;
import io.walrus.storage.ChannelDataFile;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether this process can use io_uring, found out once by setting up (and closing) a small ring:
 * that is the only test that catches every way it can be missing (not Linux, a kernel without it
 * (ENOSYS), {@code kernel.io_uring_disabled}, a seccomp filter or container policy (EPERM), a JVM
 * that denies native access). {@code WALRUS_DISABLE_IO_URING=1} turns it off without probing.
 * Where it is missing, everything runs on FileChannel; the log says so once.
 */
public final class IoUringSupport {
    public static final String DISABLE_VARIABLE = "WALRUS_DISABLE_IO_URING";
    /** System property: {@code true} sends batch appends' writes through the ring too (off by default). */
    public static final String BATCH_WRITES_PROPERTY = "walrus.ioUring.batchWrites";
    /** Ring size: a batch of staged writes plus the fsyncs of a flush fit in one submission. */
    static final int RING_ENTRIES = 64;

    private static final Optional<String> UNAVAILABLE = probe(System.getenv(DISABLE_VARIABLE));
    private static volatile boolean forNewInstances = true;
    /**
     * Whether batch appends submit their writes to the ring too. Off by default: measured here
     * ({@code make bench-batch-io}), a batch's few coalesced writes were slower through io_uring
     * (0.45x to 0.93x of FileChannel) than as plain pwrites, while flushing several files at once
     * is faster ({@code make bench-flush-io}: 0.71x of the time for 4 files). The system property
     * {@value #BATCH_WRITES_PROPERTY} turns it on (the test suite's io_uring run does, to keep the
     * path proven; the benchmark does, to measure it).
     */
    private static volatile boolean batchWrites = Boolean.getBoolean("walrus.ioUring.batchWrites");

    /** FD-backend files whose batches io_uring can submit. */
    public static final DataFiles URING_FILES = new DataFiles() {
        @Override
        public DataFile create(Path path, long length) throws IOException {
            return UringDataFile.wrap(ChannelDataFile.create(path, length));
        }

        @Override
        public DataFile open(Path path) throws IOException {
            return UringDataFile.wrap(ChannelDataFile.open(path, true));
        }
    };

    private IoUringSupport() {
    }

    /** Why io_uring is not used in this process, or empty when it is. */
    public static Optional<String> unavailableReason() {
        return UNAVAILABLE;
    }

    public static boolean available() {
        return UNAVAILABLE.isEmpty();
    }

    /** The FD backend's files: io_uring-capable where it works, plain FileChannel otherwise. */
    public static DataFiles fdBackend() {
        return available() && forNewInstances ? URING_FILES : DataFiles.CHANNEL;
    }

    /**
     * Whether FD-backend instances opened from now on use io_uring (where it works); like
     * {@code Walrus.disableFdBackend()}, a process-wide default. For benchmarks that compare both
     * paths in one process; users turn it off with {@value #DISABLE_VARIABLE}.
     */
    public static void useForNewInstances(boolean use) {
        forNewInstances = use;
    }

    /** For instances opened from now on: whether batch appends' writes go through the ring too (see {@link #batchWrites}). */
    public static void submitBatchWrites(boolean submit) {
        batchWrites = submit;
    }

    /**
     * How an instance on {@code files} issues batches: flushes of several files through io_uring
     * rings when the files are {@link #URING_FILES} (and io_uring works), batch writes too if
     * {@link #submitBatchWrites asked}; one by one otherwise.
     */
    public static BatchIo batchIoFor(DataFiles files) {
        return files == URING_FILES && available()
                ? new UringBatchIo(new RingPool(RING_ENTRIES), batchWrites) : BatchIo.SEQUENTIAL;
    }

    static Optional<String> probe(String disableSetting) {
        if (disableSetting != null && !disableSetting.isEmpty() && !disableSetting.equals("0")
                && !disableSetting.equalsIgnoreCase("false")) {
            return Optional.of(DISABLE_VARIABLE + "=" + disableSetting + " turns it off");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return Optional.of("io_uring is Linux only, this is " + System.getProperty("os.name"));
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return Optional.of("io_uring's system call numbers are not known here for " + arch);
        }
        try (IoUring ring = IoUring.open(4)) {
            // A round trip, not just the setup: a filter may allow io_uring_setup and refuse io_uring_enter.
            ring.addNop();
            ring.run();
            ring.clear();
            return Optional.empty();
        } catch (UringException e) {
            return Optional.of(switch (e.errno()) {
                case Libc.ENOSYS -> "the kernel has no io_uring (" + e.getMessage() + ")";
                case 1 /* EPERM */ -> "io_uring is not permitted here: kernel.io_uring_disabled, a seccomp filter "
                        + "or a container policy (" + e.getMessage() + ")";
                default -> e.getMessage();
            });
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.of("io_uring could not be set up: " + e);
        }
    }
}
