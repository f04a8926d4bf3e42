package io.walrus.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Deterministic payloads shared by child JVMs and the tests that check what they left: a readable
 * prefix that says where the entry belongs, then padding whose length and bytes follow from that
 * prefix, so a payload can be rebuilt exactly and compared byte for byte.
 */
public final class Payloads {
    private static final int MAX_PADDING = 1500;
    private static final int MAX_BATCH = 300;

    private Payloads() {
    }

    /** Entry {@code i} of {@code topic}: {@code <topic>#<i>|} and 0 to 1,499 bytes of padding. */
    public static byte[] entry(String topic, long i) {
        return padded(topic + "#" + i + "|", i);
    }

    /** The index {@code i} an {@link #entry} payload was made from. */
    public static long indexOf(byte[] payload) {
        String text = prefix(payload);
        int hash = text.lastIndexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("not an entry payload: " + describe(payload));
        }
        return Long.parseLong(text.substring(hash + 1));
    }

    /** Entry {@code j} of batch {@code n} of {@code topic}: {@code <topic>/b<n>/<j>} and padding. */
    public static byte[] batchEntry(String topic, int n, int j) {
        return padded(topic + "/b" + n + "/" + j + "|", n * 1_000L + j);
    }

    /** The size, 1 to 300, of batch {@code n} written by the child whose topics follow {@code seed}. */
    public static int batchSize(long seed, int topicIndex, int n) {
        return 1 + new Random(seed * 1_000_003L + topicIndex * 7_919L + n).nextInt(MAX_BATCH);
    }

    /** The payload's text prefix and length, for failure messages. */
    public static String describe(byte[] payload) {
        return "'" + prefix(payload) + "' (" + payload.length + " bytes)";
    }

    private static String prefix(byte[] payload) {
        int bar = 0;
        while (bar < payload.length && bar < 200 && payload[bar] != '|') {
            bar++;
        }
        return new String(payload, 0, bar, StandardCharsets.UTF_8);
    }

    private static byte[] padded(String head, long seed) {
        byte[] prefix = head.getBytes(StandardCharsets.UTF_8);
        int padding = Math.floorMod(seed * 2_654_435_761L, MAX_PADDING);
        byte[] payload = Arrays.copyOf(prefix, prefix.length + padding);
        for (int k = 0; k < padding; k++) {
            payload[prefix.length + k] = (byte) ('a' + Math.floorMod(seed + k, 26));
        }
        return payload;
    }
}
