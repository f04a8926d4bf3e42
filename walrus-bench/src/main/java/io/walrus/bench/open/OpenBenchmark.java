package io.walrus.bench.open;

import io.walrus.Consumer;
import io.walrus.Entry;
import io.walrus.FsyncSchedule;
import io.walrus.Walrus;
import io.walrus.bench.Benchmark;
import io.walrus.bench.config.InvalidSettingException;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.ScratchDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code open}: how long {@code Walrus.open()} takes on a log of each size in OPEN_SIZES (default
 * {@code 1,10}, in GiB): first with everything unconsumed, then after a named consumer has consumed
 * all but the last 1% and the consumed files were deleted. Each is the median of three opens; beside
 * the unconsumed one, one open without the SEALS records (every block read, as before fast open).
 * Entries of 4 KiB over OPEN_TOPICS topics (default 8), default blocks (10 MiB, 100 a file).
 * The log stays in the page cache between writing and opening: these are warm opens.
 */
public final class OpenBenchmark implements Benchmark {
    static final int PAYLOAD = 4096;
    static final String SIZES = "OPEN_SIZES";
    static final String TOPICS = "OPEN_TOPICS";
    private static final long GIB = 1L << 30;

    @Override
    public String name() {
        return "open";
    }

    @Override
    public String summary() {
        return "open() time on 1 GiB and 10 GiB logs, unconsumed and mostly consumed (OPEN_SIZES)";
    }

    @Override
    public void run(Map<String, String> environment, PrintStream out) throws Exception {
        WorkloadConfig config = WorkloadConfig.fromEnvironment(environment);
        List<Double> sizes = parseSizes(environment.get(SIZES));
        int topics = parseTopics(environment.get(TOPICS));
        long free = Files.getFileStore(Files.createDirectories(config.dataDir())).getUsableSpace();
        out.printf(Locale.ROOT, "open: logs of %s GiB, %d topics, %d-byte entries, data in %s (%.1f GiB free)%n",
                sizes, topics, PAYLOAD, config.dataDir(), free / (double) GIB);
        for (double size : sizes) {
            long bytes = (long) (size * GIB);
            if (bytes * 1.1 > free) {
                out.printf(Locale.ROOT, "%.1f GiB: skipped, only %.1f GiB free%n", size, free / (double) GIB);
                continue;
            }
            measure(config.dataDir(), bytes, topics, out);
        }
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws Exception {
        run(Map.of(), out);
    }

    private static void measure(Path parent, long bytes, int topics, PrintStream out) throws IOException {
        try (ScratchDirectory scratch = ScratchDirectory.create(parent, "open")) {
            Path dir = scratch.path();
            long started = System.nanoTime();
            long perTopic = write(dir, bytes, topics);
            out.printf(Locale.ROOT, "%.1f GiB: wrote %,d entries in %.1f s%n", bytes / (double) GIB, perTopic * topics,
                    (System.nanoTime() - started) / 1e9);
            settle();
            double unconsumed = medianOpen(dir);
            Files.deleteIfExists(dir.resolve("SEALS"));
            double fullScan = openMillis(dir); // reads every block, then records them again at close
            out.printf(Locale.ROOT, "%.1f GiB unconsumed:     open %8.1f ms (median of 3); without seal records %8.1f ms"
                    + " (%.0fx)%n", bytes / (double) GIB, unconsumed, fullScan, fullScan / Math.max(0.001, unconsumed));
            started = System.nanoTime();
            consumeAllBut(dir, topics, perTopic, perTopic / 100);
            out.printf(Locale.ROOT, "%.1f GiB: consumed 99%% in %.1f s; %d data files left%n", bytes / (double) GIB,
                    (System.nanoTime() - started) / 1e9, dataFiles(dir));
            settle();
            out.printf(Locale.ROOT, "%.1f GiB mostly consumed: open %8.1f ms (median of 3)%n", bytes / (double) GIB,
                    medianOpen(dir));
        }
    }

    private static Walrus.Builder builder(Path dir) {
        return Walrus.builder().dataDir(dir).fsync(FsyncSchedule.noFsync()).deleteConsumedFilesEvery(Duration.ZERO);
    }

    /** Appends {@code bytes} of entries round robin over the topics; returns the entries per topic. */
    private static long write(Path dir, long bytes, int topics) throws IOException {
        byte[] payload = new byte[PAYLOAD];
        ThreadLocalRandom.current().nextBytes(payload);
        long perTopic = bytes / PAYLOAD / topics;
        try (Walrus wal = builder(dir).open()) {
            for (long i = 0; i < perTopic; i++) {
                for (int t = 0; t < topics; t++) {
                    wal.appendForTopic("topic-" + t, payload);
                }
            }
        }
        return perTopic;
    }

    private static void consumeAllBut(Path dir, int topics, long perTopic, long left) throws IOException {
        try (Walrus wal = builder(dir).open()) {
            Consumer consumer = wal.consumer("reader");
            for (int t = 0; t < topics; t++) {
                long read = 0;
                while (read < perTopic - left) {
                    List<Entry> batch = consumer.batchReadForTopic("topic-" + t,
                            Math.min(64L << 20, (perTopic - left - read) * PAYLOAD), true);
                    read += batch.size();
                }
            }
            wal.deleteConsumedFiles();
        }
    }

    /** Data files left. */
    private static long dataFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wal")).count();
        }
    }

    private static double medianOpen(Path dir) throws IOException {
        double[] millis = {openMillis(dir), openMillis(dir), openMillis(dir)};
        Arrays.sort(millis);
        return millis[1];
    }

    private static double openMillis(Path dir) throws IOException {
        long started = System.nanoTime();
        Walrus wal = builder(dir).open();
        double millis = (System.nanoTime() - started) / 1e6;
        wal.close();
        return millis;
    }

    private static void settle() throws IOException {
        PageCacheSettler.forThisMachine().settle();
    }

    static List<Double> parseSizes(String value) {
        List<Double> sizes = new ArrayList<>();
        String text = value == null || value.isBlank() ? "1,10" : value;
        try {
            for (String part : text.split(",")) {
                double size = Double.parseDouble(part.trim());
                if (!(size > 0 && size <= 1024)) {
                    throw new NumberFormatException(part);
                }
                sizes.add(size);
            }
        } catch (NumberFormatException bad) {
            throw new InvalidSettingException(SIZES, value, "sizes in GiB separated by commas, e.g. 1,10 or 0.5");
        }
        return sizes;
    }

    static int parseTopics(String value) {
        if (value == null || value.isBlank()) {
            return 8;
        }
        try {
            int topics = Integer.parseInt(value.trim());
            if (topics >= 1 && topics <= 10_000) {
                return topics;
            }
        } catch (NumberFormatException bad) {
            // named below
        }
        throw new InvalidSettingException(TOPICS, value, "a whole number from 1 to 10000");
    }
}
