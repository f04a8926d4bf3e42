package io.walrus.format;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Names of the files in an instance directory. */
public final class DataFileNames {
    public static final String DATA_SUFFIX = ".wal";
    private static final String IN_CREATION_SUFFIX = ".new";
    public static final String CURSOR_DIRECTORY = "cursors";
    public static final String CURSOR_SUFFIX = ".cursor";
    /** Named consumers: one sub-directory each, holding its descriptor and its cursor files. */
    public static final String CONSUMER_DIRECTORY = "consumers";
    /** A named consumer's descriptor, in its directory; the consumer exists exactly when this file does. */
    public static final String CONSUMER_FILE = "CONSUMER";
    public static final String LOCK_FILE = "LOCK";
    /** Where each topic starts after deletion of consumed files ({@link RetentionManifest}). */
    public static final String RETENTION_FILE = "RETENTION";
    /** Sealed blocks whose data is durable, so open() need not read them ({@link SealRecord}). */
    public static final String SEALS_FILE = "SEALS";
    /** Present only while the instance is closed after a clean shutdown. */
    public static final String CLEAN_SHUTDOWN_FILE = "CLEAN";

    private DataFileNames() {
    }

    /** {@code 00000000000000000042.wal}: zero-padded so names sort in creation order. */
    public static String dataFile(long fileSequence) {
        return String.format("%020d%s", fileSequence, DATA_SUFFIX);
    }

    /**
     * {@code 00000000000000000042.wal.new}: a data file while it is being created, until it is
     * renamed to {@link #dataFile}. Never holds an entry, so open deletes what a crash leaves of it.
     */
    public static String dataFileInCreation(long fileSequence) {
        return dataFile(fileSequence) + IN_CREATION_SUFFIX;
    }

    /** Whether {@code file} is named as a data file in creation ({@link #dataFileInCreation}). */
    public static boolean isDataFileInCreation(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(IN_CREATION_SUFFIX) && fileSequence(
                file.resolveSibling(name.substring(0, name.length() - IN_CREATION_SUFFIX.length()))).isPresent();
    }

    public static OptionalLong fileSequence(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(DATA_SUFFIX) || name.length() != 20 + DATA_SUFFIX.length()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
        } catch (NumberFormatException notOurs) {
            return OptionalLong.empty();
        }
    }

    /** A cursor file name: readable, and unique per topic thanks to the hash of the exact name. */
    public static String cursorFile(String topic) {
        return sanitize(topic, 64) + "-" + Long.toHexString(fnv1a64(topic)) + CURSOR_SUFFIX;
    }

    /**
     * A named consumer's directory under {@link #CONSUMER_DIRECTORY}: the name sanitised as keys are
     * (64 characters at most), then the hash of the exact name, so names that sanitise alike
     * ({@code "a/b"} and {@code "a_b"}) still get directories of their own.
     */
    public static String consumerDirectory(String consumer) {
        return sanitize(consumer, 64) + "-" + Long.toHexString(fnv1a64(consumer));
    }

    /**
     * The original's rule for instance keys: ASCII letters, digits, '-', '_' and '.' kept, every other
     * character becomes '_'; a key that is only underscores (or '.'/'..') after that becomes
     * {@code ns_<hex FNV-1a of the key>}.
     */
    public static String sanitizeKey(String key) {
        String sanitized = sanitize(key, Integer.MAX_VALUE);
        boolean onlyUnderscores = sanitized.chars().allMatch(c -> c == '_');
        if (onlyUnderscores || sanitized.equals(".") || sanitized.equals("..")) {
            return "ns_" + Long.toHexString(fnv1a64(key));
        }
        return sanitized;
    }

    private static String sanitize(String text, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength));
        for (int i = 0; i < text.length() && out.length() < maxLength; i++) {
            char c = text.charAt(i);
            boolean kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            out.append(kept ? c : '_');
        }
        return out.toString();
    }

    public static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
