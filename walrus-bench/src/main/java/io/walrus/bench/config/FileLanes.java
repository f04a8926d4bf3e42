package io.walrus.bench.config;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Walrus's file lanes for the benchmarks' Walrus targets ({@code FILE_LANES}): unset means
 * Walrus's own default ({@code Walrus.Builder.fileLanes}), so the benchmarks measure what users get.
 */
public final class FileLanes {
    public static final String VARIABLE = "FILE_LANES";
    /** Walrus's own limit ({@code Walrus.Builder.fileLanes}). */
    static final int MAX = 64;

    private FileLanes() {
    }

    /** @throws InvalidSettingException when {@code FILE_LANES} is set and not 1 to 64 */
    public static OptionalInt fromEnvironment(Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int lanes = Integer.parseInt(value.trim());
            if (lanes >= 1 && lanes <= MAX) {
                return OptionalInt.of(lanes);
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error that names the variable
        }
        throw new InvalidSettingException(VARIABLE, value, "a whole number from 1 to " + MAX + " (data files filled at once)");
    }
}
