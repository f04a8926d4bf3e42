package io.walrus.bench.config;

import io.walrus.StorageBackend;
import io.walrus.Walrus;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark run does, read from the environment variables the Makefile documents. Every
 * value is checked here, before anything is written, so a typo costs a one-line error instead of
 * a run.
 *
 * @param fsync     when written bytes are forced ({@code FSYNC})
 * @param threads   writer threads, one topic each ({@code THREADS})
 * @param duration  how long each phase writes ({@code WALRUS_DURATION})
 * @param batchSize entries per batch append; 0 for single appends ({@code WALRUS_BATCH_SIZE})
 * @param backend   Walrus's storage backend ({@code BACKEND})
 * @param dataDir   where the benchmark makes its scratch directories ({@code WALRUS_DATA_DIR})
 * @param rounds    how many times a comparison runs each target, alternating which goes first
 *                  ({@code BENCH_ROUNDS})
 */
public record WorkloadConfig(FsyncMode fsync, int threads, Duration duration, int batchSize,
                             StorageBackend backend, Path dataDir, int rounds) {
    public static final String THREADS = "THREADS";
    public static final String BATCH_SIZE = "WALRUS_BATCH_SIZE";
    public static final String BACKEND = "BACKEND";
    public static final String DATA_DIR = "WALRUS_DATA_DIR";
    public static final String ROUNDS = "BENCH_ROUNDS";

    public static final int DEFAULT_THREADS = 2;
    /** More writers than this is a typo, not a benchmark: each one holds its own payloads and file. */
    public static final int MAX_THREADS = 1024;
    public static final Path DEFAULT_DATA_DIR = Path.of("bench_data");
    /** One round: each target once, as before rounds existed. */
    public static final int DEFAULT_ROUNDS = 1;
    /** Each round is two phases of the full duration plus settling; more than this is a typo, not a plan. */
    public static final int MAX_ROUNDS = 100;

    /** The configuration the process environment describes. */
    public static WorkloadConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The configuration {@code environment} describes; unset or blank variables take their defaults.
     *
     * @throws InvalidSettingException naming the first variable whose value is unusable
     */
    public static WorkloadConfig fromEnvironment(Map<String, String> environment) {
        return new WorkloadConfig(
                FsyncMode.parse(environment.get(FsyncMode.VARIABLE)),
                parseThreads(environment.get(THREADS)),
                RunDuration.parse(environment.get(RunDuration.VARIABLE)),
                parseBatchSize(environment.get(BATCH_SIZE)),
                parseBackend(environment.get(BACKEND)),
                parseDataDir(environment.get(DATA_DIR)),
                parseRounds(environment.get(ROUNDS)));
    }

    /**
     * This configuration with {@code threads} writers and one round: a point of a sweep is one
     * phase, and the rounds of {@code writes} would only rename its heading.
     */
    public WorkloadConfig sweepPoint(int threads) {
        return new WorkloadConfig(fsync, threads, duration, batchSize, backend, dataDir, 1);
    }

    /** Whether writers call {@code batchAppendForTopic} instead of {@code appendForTopic}. */
    public boolean batched() {
        return batchSize > 0;
    }

    static int parseThreads(String value) {
        if (isUnset(value)) {
            return DEFAULT_THREADS;
        }
        return WholeNumberSetting.parse(THREADS, value, 1, MAX_THREADS);
    }

    static int parseBatchSize(String value) {
        if (isUnset(value)) {
            return 0;
        }
        return WholeNumberSetting.parse(BATCH_SIZE, value, 0, Walrus.MAX_BATCH_ENTRIES);
    }

    static StorageBackend parseBackend(String value) {
        if (isUnset(value)) {
            return StorageBackend.FD;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "fd" -> StorageBackend.FD;
            case "mmap" -> StorageBackend.MMAP;
            default -> throw new InvalidSettingException(BACKEND, value, "fd or mmap");
        };
    }

    static Path parseDataDir(String value) {
        if (isUnset(value)) {
            return DEFAULT_DATA_DIR;
        }
        try {
            return Path.of(value.trim());
        } catch (InvalidPathException notAPath) {
            throw new InvalidSettingException(DATA_DIR, value, "a directory path");
        }
    }

    static int parseRounds(String value) {
        if (isUnset(value)) {
            return DEFAULT_ROUNDS;
        }
        return WholeNumberSetting.parse(ROUNDS, value, 1, MAX_ROUNDS);
    }

    private static boolean isUnset(String value) {
        return value == null || value.isBlank();
    }

    /** {@code 1 writer thread}, {@code 4 writer threads}. */
    public String describeThreads() {
        return threads + " writer thread" + (threads == 1 ? "" : "s");
    }

    /** One line for the top of a report: everything that decides the numbers below it. */
    public String describe() {
        return describeThreads()
                + ", " + formatDuration(duration)
                + ", fsync " + fsync
                + ", " + (batched() ? "batches of " + batchSize : "single appends")
                + ", backend " + backend.name().toLowerCase(Locale.ROOT)
                + ", data in " + dataDir
                // Only when set: a single round reads as it always has.
                + (rounds > 1 ? ", " + rounds + " rounds" : "");
    }

    static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
