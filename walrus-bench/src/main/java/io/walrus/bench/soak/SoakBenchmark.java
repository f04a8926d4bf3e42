package io.walrus.bench.soak;

import io.walrus.ReadConsistency;
import io.walrus.Walrus;
import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.IOException;
import java.io.PrintStream;
import com.sun.management.GcInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code soak}: producers append to many topics at a fixed rate while consumers drain them with
 * checkpointed batch reads, for WALRUS_DURATION, with consumed files deleted in the background.
 * Every few seconds a line: throughput, consumer lag, data files on disk, and heap (used now, and
 * live after the last collection). Once consumers keep up, disk and heap must stay flat: neither
 * may grow with what was written. Run it with a small heap ({@code make bench-soak} uses -Xmx64m).
 * Settings: THREADS (producers, and as many consumers), FSYNC, WALRUS_DURATION, WALRUS_DATA_DIR,
 * SOAK_TOPICS, SOAK_RATE, SOAK_REPORT_SECONDS.
 */
public final class SoakBenchmark implements Benchmark {
    /** Small blocks: every topic owns one, and a thousand 10 MiB blocks would be 10 GB. */
    static final int BLOCK_SIZE = 64 << 10;
    static final int BLOCKS_PER_FILE = 64;

    private final Map<String, String> environment;

    public SoakBenchmark() {
        this(System.getenv());
    }

    SoakBenchmark(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String summary() {
        return "many topics written and consumed at a fixed rate: disk, heap and throughput over time";
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws Exception {
        run(WorkloadConfig.fromEnvironment(environment), SoakSettings.fromEnvironment(environment), out);
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws Exception {
        run(config, SoakSettings.fromEnvironment(environment), out);
    }

    void run(WorkloadConfig config, SoakSettings settings, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "soak: %,d topics, %,d entries/s (%d-%d bytes), %d producers and %d consumers, fsync %s, "
                        + "%s, max heap %s, %d KiB blocks, %d blocks a file, data in %s%n", settings.topics(),
                settings.rate(), SoakRun.MIN_PAYLOAD, SoakRun.MIN_PAYLOAD + SoakRun.PAYLOAD_SPREAD - 1, config.threads(),
                config.threads(), config.fsync(), config.duration(), mib(Runtime.getRuntime().maxMemory()),
                BLOCK_SIZE >> 10, BLOCKS_PER_FILE, config.dataDir());
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), "soak");
             Walrus wal = Walrus.builder().dataDir(scratch.path()).fsync(config.fsync().toSchedule())
                     .consistency(ReadConsistency.strictlyAtOnce()).blockSize(BLOCK_SIZE)
                     .blocksPerFile(BLOCKS_PER_FILE).deleteConsumedFilesEvery(Duration.ofSeconds(1)).open()) {
            SoakRun run = new SoakRun(wal, settings.topics(), settings.rate(), config.threads(), config.threads());
            List<Thread> threads = run.start();
            Stats stats = report(run, scratch.path(), config.duration(), settings.reportEvery(), out);
            run.stop(threads);
            if (run.failure() != null) {
                throw new IllegalStateException("soak failed: " + run.failure(), run.failure());
            }
            out.printf(Locale.ROOT, "second half: data files %s to %s, live heap after GC %s to %s; %,d appended, "
                            + "%,d consumed, %,.0f appends/s on average%n", mib(stats.minDisk), mib(stats.maxDisk),
                    mib(stats.minLive), mib(stats.maxLive), run.appended.get(), run.consumed.get(),
                    run.appended.get() / (config.duration().toNanos() / 1e9));
        }
    }

    /** Extremes over the second half of the run, when the log should have settled. */
    private static final class Stats {
        long minDisk = Long.MAX_VALUE;
        long maxDisk;
        long minLive = Long.MAX_VALUE;
        long maxLive;
    }

    private static Stats report(SoakRun run, Path directory, Duration duration, int everySeconds, PrintStream out)
            throws IOException, InterruptedException {
        out.println("     time  appends/s  consumed/s        lag  data files  on disk    heap used  live after GC");
        Stats stats = new Stats();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long lastAppended = 0;
        long lastConsumed = 0;
        long last = start;
        while (run.failure() == null) {
            long now = System.nanoTime();
            long next = Math.min(end, last + everySeconds * 1_000_000_000L);
            if (now < next) {
                Thread.sleep(Math.max(1, (next - now) / 1_000_000));
                continue;
            }
            long appended = run.appended.get();
            long consumed = run.consumed.get();
            double seconds = (now - last) / 1e9;
            long[] disk = dataFiles(directory);
            long used = heapUsed();
            long live = liveAfterGc();
            out.printf(Locale.ROOT, "%8.0fs %10.0f %11.0f %10d %11d %8s %12s %14s%n", (now - start) / 1e9,
                    (appended - lastAppended) / seconds, (consumed - lastConsumed) / seconds, appended - consumed,
                    disk[0], mib(disk[1]), mib(used), mib(live));
            if (now - start >= duration.toNanos() / 2) {
                stats.minDisk = Math.min(stats.minDisk, disk[1]);
                stats.maxDisk = Math.max(stats.maxDisk, disk[1]);
                stats.minLive = Math.min(stats.minLive, live);
                stats.maxLive = Math.max(stats.maxLive, live);
            }
            lastAppended = appended;
            lastConsumed = consumed;
            last = now;
            if (now >= end) {
                break;
            }
        }
        return stats;
    }

    /** How many data files there are, and their size on disk (they are preallocated). */
    private static long[] dataFiles(Path directory) throws IOException {
        long count = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".wal")) {
                    try {
                        bytes += Files.size(file);
                        count++;
                    } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
                        // consumed and deleted between the listing and the size
                    }
                }
            }
        }
        return new long[] {count, bytes};
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Heap in use right after the most recent collection (young or full): what was live then. */
    private static long liveAfterGc() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof com.sun.management.GarbageCollectorMXBean gc) {
                GcInfo info = gc.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return heapUsed();
        }
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? latest.getMemoryUsageAfterGc().get(pool.getName()) : null;
            if (after != null) {
                live += after.getUsed();
            }
        }
        return live;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
