package io.walrus.bench.report;

import io.walrus.bench.report.DirtyPageProbe.DirtyPages;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The per-second progress of one phase as CSV, in the original benchmark's columns so its plotting
 * scripts and ours read either. One file per phase: {@code <benchmark>-<target>-<time>.csv}.
 */
public final class CsvProgressLog implements AutoCloseable {
    /** Where every benchmark leaves its CSV files, relative to the working directory. */
    public static final Path RESULTS_DIR = Path.of("bench_results");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path path;
    private final BufferedWriter writer;

    private CsvProgressLog(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /** Creates {@code directory} if needed and a new CSV file in it, with the header written. */
    public static CsvProgressLog create(Path directory, String benchmark, String target) throws IOException {
        return create(directory, benchmark, target, "writes");
    }

    /**
     * As {@link #create(Path, String, String)}, with the rate and total columns named for
     * {@code operation} ({@code reads_per_second}, {@code total_reads}), as the original's read CSV has them.
     */
    public static CsvProgressLog create(Path directory, String benchmark, String target, String operation)
            throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(benchmark + "-" + target + "-" + LocalDateTime.now().format(FILE_TIME) + ".csv");
        BufferedWriter writer = Files.newBufferedWriter(path);
        writer.write(header(operation));
        writer.newLine();
        return new CsvProgressLog(path, writer);
    }

    static String header(String operation) {
        return "timestamp,elapsed_seconds," + operation + "_per_second,bytes_per_second,"
                + "total_" + operation + ",total_bytes,dirty_pages_kb";
    }

    public Path path() {
        return path;
    }

    /**
     * One interval's figures. {@code dirty} may be null where the kernel does not tell; the column
     * is left empty then. Flushed at once, so an interrupted run still leaves its rows.
     */
    public void row(long epochMillis, double elapsedSeconds, double writesPerSecond, double bytesPerSecond,
                    long totalWrites, long totalBytes, DirtyPages dirty) throws IOException {
        writer.write(String.format(Locale.ROOT, "%d.%03d,%.3f,%.0f,%.0f,%d,%d,%s",
                epochMillis / 1000, epochMillis % 1000, elapsedSeconds, writesPerSecond, bytesPerSecond,
                totalWrites, totalBytes, dirty == null ? "" : Long.toString(dirty.dirtyKb())));
        writer.newLine();
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
