package io.walrus.torture;

/**
 * How long the campaigns run. {@code make test} runs them short; {@code make crash-test} passes
 * larger counts as system properties, and a seed to replay a failure:
 * {@code -Dwalrus.torture.killPoints=1000 -Dwalrus.torture.corruptions=10000 -Dwalrus.torture.seed=42}.
 */
final class TortureSettings {
    static final String KILL_POINTS = "walrus.torture.killPoints";
    static final String CORRUPTIONS = "walrus.torture.corruptions";
    static final String POWER_LOSSES = "walrus.torture.powerLosses";
    static final String SEED = "walrus.torture.seed";

    private TortureSettings() {
    }

    static int killPoints() {
        return Integer.getInteger(KILL_POINTS, 8);
    }

    static int powerLosses() {
        return Integer.getInteger(POWER_LOSSES, 20);
    }

    static int corruptions() {
        return Integer.getInteger(CORRUPTIONS, 300);
    }

    /** The given seed, or a fresh one; either way the campaign prints it. */
    static long seed() {
        Long given = Long.getLong(SEED);
        return given != null ? given : System.nanoTime();
    }

    static String replay(long seed, String countProperty, int count) {
        return "replay with: make crash-test CRASH_SEED=" + seed + " (or -D" + SEED + "=" + seed + " -D"
                + countProperty + "=" + count + ")";
    }
}
