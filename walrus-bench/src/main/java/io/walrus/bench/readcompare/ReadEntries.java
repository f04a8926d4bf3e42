package io.walrus.bench.readcompare;

import io.walrus.bench.config.InvalidSettingException;

/**
 * {@code READ_ENTRIES}: how many entries each topic of every data set gets. The same count for every
 * target, so each reads the same bytes; at most {@link #MAX} so a topic (about 760 bytes an entry)
 * stays within the plain loops' first 1 GiB window.
 */
public final class ReadEntries {
    public static final String VARIABLE = "READ_ENTRIES";
    static final long DEFAULT = 200_000;
    static final long MIN = 1_000;
    static final long MAX = 1_000_000;

    private ReadEntries() {
    }

    public static long parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String digits = value.trim().replace("_", "").replace(",", "");
        long multiplier = 1;
        if (digits.endsWith("k")) {
            multiplier = 1_000;
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            long entries = Long.parseLong(digits) * multiplier;
            if (entries >= MIN && entries <= MAX) {
                return entries;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error that names the variable
        }
        throw new InvalidSettingException(VARIABLE, value, "entries per topic from " + MIN + " to " + MAX
                + " (e.g. 200000 or 200k)");
    }
}
