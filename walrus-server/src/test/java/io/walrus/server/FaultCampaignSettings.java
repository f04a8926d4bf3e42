package io.walrus.server;

/**
 * How long the cluster fault campaign runs: 10 faults unless told, {@code make cluster-crash-test}
 * passes a larger count, and a seed to replay a failure: {@code -Dwalrus.cluster.faults=200
 * -Dwalrus.cluster.seed=42}. A replay repeats the choices (which fault, which node, how much work
 * between faults), not the interleaving: when a node dies within its work is the operating system's.
 */
final class FaultCampaignSettings {
    static final String FAULTS = "walrus.cluster.faults";
    static final String SEED = "walrus.cluster.seed";
    static final String CUTS = "walrus.cluster.cuts";

    private FaultCampaignSettings() {
    }

    static int faults() {
        return Integer.getInteger(FAULTS, 10);
    }

    /**
     * Whether the campaign cuts nodes off from each other ({@code -Dwalrus.cluster.cuts=true}, what
     * {@code make cluster-crash-test} passes unless CLUSTER_CUTS=no). Off in {@code make test}: a cut
     * stalls the peers' connections to the node, the case in which leaders ran out of memory before
     * their snapshot chunks in flight were bounded (docs/RELIABILITY.md); the long campaign keeps them.
     */
    static boolean cuts() {
        return Boolean.getBoolean(CUTS);
    }

    /** The given seed, or a fresh one; either way the campaign prints it. */
    static long seed() {
        Long given = Long.getLong(SEED);
        return given != null ? given : System.nanoTime();
    }

    static String replay(long seed, int faults) {
        return "replay with: make cluster-crash-test CLUSTER_SEED=" + seed + " CLUSTER_FAULTS=" + faults
                + " CLUSTER_CUTS=" + (cuts() ? "yes" : "no") + " (or -D" + SEED + "=" + seed + " -D" + FAULTS + "=" + faults
                + " -D" + CUTS + "=" + cuts() + ")";
    }
}
