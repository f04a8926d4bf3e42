package io.walrus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Checks of read arguments shared by {@link Walrus} and {@link Consumer}, and the shape of their results. */
final class ReadArguments {
    private ReadArguments() {
    }

    static void checkMaxBytes(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, maxBytes=" + maxBytes);
        }
    }

    /** The timeout in nanoseconds; one too long for a long waits for ever (about 292 years). */
    static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, timeout=" + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    static String checkConsumerName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("consumer name must not be empty");
        }
        if (name.length() > Walrus.MAX_CONSUMER_NAME_BYTES / 3
                && name.getBytes(StandardCharsets.UTF_8).length > Walrus.MAX_CONSUMER_NAME_BYTES) {
            throw new IllegalArgumentException("consumer name is longer than " + Walrus.MAX_CONSUMER_NAME_BYTES
                    + " UTF-8 bytes, name=" + name.substring(0, 40) + "...");
        }
        return name;
    }

    static List<Entry> entries(List<byte[]> payloads) {
        List<Entry> entries = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            entries.add(new Entry(payload));
        }
        return entries;
    }
}
