package io.walrus.bench.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A result table's CSV: {@code <directory>/<stem>.csv}, a header line then one line a row. */
public final class CsvFile {
    private CsvFile() {
    }

    /** Writes the file (creating {@code directory} if need be) and returns its path. */
    public static Path write(Path directory, String stem, String header, List<String> lines) throws IOException {
        Files.createDirectories(directory);
        Path path = directory.resolve(stem + ".csv");
        try (BufferedWriter writer = Files.newBufferedWriter(path)) {
            writer.write(header);
            writer.newLine();
            for (String line : lines) {
                writer.write(line);
                writer.newLine();
            }
        }
        return path;
    }
}
