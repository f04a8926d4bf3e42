package io.walrus.bench.config;

import java.time.Duration;
import java.util.Locale;

/** Reads how long a benchmark phase runs: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a plain number of seconds. */
public final class RunDuration {
    public static final String VARIABLE = "WALRUS_DURATION";
    public static final Duration DEFAULT = Duration.ofSeconds(10);
    static final String ACCEPTED = "a positive whole number with ms, s, m or h (10s, 2m, 500ms), or plain seconds";

    private RunDuration() {
    }

    /** {@code null} or blank means the default of 10 seconds. */
    public static Duration parse(String value) {
        return parse(VARIABLE, value, DEFAULT);
    }

    /** A length in the same form from another variable: {@code null} or blank means {@code fallback}. */
    public static Duration parse(String variable, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration duration = parseText(text);
            // toNanos throws for lengths no clock can time, which is an error like any other.
            if (duration.isPositive() && duration.toNanos() > 0) {
                return duration;
            }
        } catch (NumberFormatException | ArithmeticException unusable) {
            // falls through to the error that names the variable
        }
        throw new InvalidSettingException(variable, value, ACCEPTED);
    }

    private static Duration parseText(String text) {
        // "ms" before "s" and "m": it ends with both letters.
        if (text.endsWith("ms")) {
            return Duration.ofMillis(number(text, 2));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(number(text, 1));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(number(text, 1));
        }
        if (text.endsWith("h")) {
            return Duration.ofHours(number(text, 1));
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }

    private static long number(String text, int suffixLength) {
        return Long.parseLong(text.substring(0, text.length() - suffixLength).trim());
    }
}
