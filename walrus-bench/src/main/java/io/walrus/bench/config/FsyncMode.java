package io.walrus.bench.config;

import io.walrus.FsyncSchedule;

import java.util.Locale;

/**
 * When written bytes are forced to stable storage, as the {@code FSYNC} variable says. Both the
 * Walrus phase and the baselines read it, so a comparison always runs under one durability promise.
 *
 * @param kind           what forces the data
 * @param intervalMillis the cadence of the background force; 0 unless {@code kind} is {@link Kind#INTERVAL}
 */
public record FsyncMode(Kind kind, long intervalMillis) {
    public static final String VARIABLE = "FSYNC";
    /** The cadence of {@code async}, the original's default: one force a second. */
    public static final long ASYNC_INTERVAL_MILLIS = 1000;
    static final String ACCEPTED = "sync-each, no-fsync, none, async, <n>ms or <n> (milliseconds, at least 1)";

    public enum Kind {
        /** Every write returns after its bytes are on stable storage. */
        SYNC_EACH,
        /** A background thread forces written files every {@code intervalMillis}. */
        INTERVAL,
        /** Nothing forces the data; the kernel writes it back when it likes. */
        NONE
    }

    public FsyncMode {
        if ((kind == Kind.INTERVAL) != (intervalMillis > 0)) {
            throw new IllegalArgumentException("an interval belongs to INTERVAL only, kind=" + kind
                    + ", intervalMillis=" + intervalMillis);
        }
    }

    public static FsyncMode syncEach() {
        return new FsyncMode(Kind.SYNC_EACH, 0);
    }

    public static FsyncMode none() {
        return new FsyncMode(Kind.NONE, 0);
    }

    public static FsyncMode every(long millis) {
        return new FsyncMode(Kind.INTERVAL, millis);
    }

    /** Reads an {@code FSYNC} value; {@code null} or blank means the default, {@code async}. */
    public static FsyncMode parse(String value) {
        if (value == null || value.isBlank()) {
            return every(ASYNC_INTERVAL_MILLIS);
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "sync-each" -> syncEach();
            case "no-fsync", "none" -> none();
            case "async" -> every(ASYNC_INTERVAL_MILLIS);
            default -> every(parseMillis(value, text));
        };
    }

    private static long parseMillis(String original, String text) {
        String digits = text.endsWith("ms") ? text.substring(0, text.length() - 2).trim() : text;
        try {
            long millis = Long.parseLong(digits);
            if (millis >= 1) {
                return millis;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error that names the variable
        }
        throw new InvalidSettingException(VARIABLE, original, ACCEPTED);
    }

    /** The same promise in Walrus's terms. */
    public FsyncSchedule toSchedule() {
        return switch (kind) {
            case SYNC_EACH -> FsyncSchedule.syncEach();
            case INTERVAL -> FsyncSchedule.milliseconds(intervalMillis);
            case NONE -> FsyncSchedule.noFsync();
        };
    }

    /** As a user would write it in {@code FSYNC}. */
    @Override
    public String toString() {
        return switch (kind) {
            case SYNC_EACH -> "sync-each";
            case INTERVAL -> intervalMillis + "ms";
            case NONE -> "no-fsync";
        };
    }
}
