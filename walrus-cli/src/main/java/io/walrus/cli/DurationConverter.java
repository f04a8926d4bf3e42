package io.walrus.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive duration as people type it: {@code 15s}, {@code 500ms}, {@code 2m}, {@code 1h}, or ISO {@code PT15S}. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        Duration duration = parse(text.strip());
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("'" + text + "' is not a positive duration");
        }
        return duration;
    }

    private static Duration parse(String text) {
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a duration: write it as 15s, 500ms, 2m, 1h or PT15S");
        }
    }
}
