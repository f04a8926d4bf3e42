package io.walrus.bench.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The thread counts a scaling run visits, read from {@code THREADS}: {@code N} doubles from 1 up
 * to N (1, 2, 4, ..., and N itself when it is not a power of two), {@code A-B} visits every count
 * from A to B. Doubling is the default shape because it finds the knee in few points; a range is
 * for looking at the knee closely.
 */
public final class ThreadSweep {
    /** A small sweep: enough to see whether a second and a fourth writer help. */
    public static final String DEFAULT = "1-4";
    static final String ACCEPTED = "N (1, 2, 4, ... up to N) or A-B (every count from A to B),"
            + " with 1 <= A <= B <= " + WorkloadConfig.MAX_THREADS;

    private ThreadSweep() {
    }

    /** The counts {@code THREADS} in {@code environment} names, in increasing order. */
    public static List<Integer> fromEnvironment(Map<String, String> environment) {
        return parse(environment.get(WorkloadConfig.THREADS));
    }

    /** {@code null} or blank means {@link #DEFAULT}. */
    public static List<Integer> parse(String value) {
        String text = value == null || value.isBlank() ? DEFAULT : value.trim();
        try {
            int dash = text.indexOf('-');
            if (dash < 0) {
                return doubling(Integer.parseInt(text));
            }
            // A leading dash would be a negative N; parsing what is before it rejects that too.
            return range(Integer.parseInt(text.substring(0, dash).trim()),
                    Integer.parseInt(text.substring(dash + 1).trim()));
        } catch (NumberFormatException | InvalidSettingException unusable) {
            throw new InvalidSettingException(WorkloadConfig.THREADS, value, ACCEPTED);
        }
    }

    private static List<Integer> doubling(int max) {
        check(1, max);
        List<Integer> counts = new ArrayList<>();
        for (int count = 1; count < max; count *= 2) {
            counts.add(count);
        }
        counts.add(max);
        return List.copyOf(counts);
    }

    private static List<Integer> range(int from, int to) {
        check(from, to);
        List<Integer> counts = new ArrayList<>();
        for (int count = from; count <= to; count++) {
            counts.add(count);
        }
        return List.copyOf(counts);
    }

    private static void check(int from, int to) {
        if (from < 1 || from > to || to > WorkloadConfig.MAX_THREADS) {
            // Caught by parse, which words the error with the value as the user wrote it.
            throw new InvalidSettingException(WorkloadConfig.THREADS, from + "-" + to, ACCEPTED);
        }
    }
}
