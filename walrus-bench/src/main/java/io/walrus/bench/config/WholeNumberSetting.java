package io.walrus.bench.config;

import java.util.Map;

/** A setting that is a whole number within bounds: read, or refused with an error naming the variable. */
public final class WholeNumberSetting {
    private WholeNumberSetting() {
    }

    /** {@code variable} from {@code environment}, {@code fallback} when it is unset or blank. */
    public static int read(Map<String, String> environment, String variable, int fallback, int min, int max) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? fallback : parse(variable, value, min, max);
    }

    /** {@code value}, set for {@code variable}, as a number from {@code min} to {@code max}. */
    public static int parse(String variable, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error that names the variable
        }
        throw new InvalidSettingException(variable, value, "a whole number from " + min + " to " + max);
    }
}
