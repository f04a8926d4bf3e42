package io.walrus.bench.cluster;

import io.walrus.bench.config.InvalidSettingException;
import io.walrus.client.GroupLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code CLUSTER_GROUPS} ({@code make bench-cluster GROUPS=...} sets it: bash ignores an assignment
 * to {@code GROUPS}, its own list of the user's groups, so the environment cannot carry that name):
 * the numbers of Raft groups {@code bench-cluster} runs the Walrus cluster with, one
 * cluster after another on the same workload, separated by commas. The last is the cluster the
 * ratios and the peers are taken against; each other one is a row of its own. Unset: {@code 1,3},
 * one group (one leader takes every write) and one per node (the default of {@code walrus-server}).
 */
final class ClusterGroupCounts {
    static final String VARIABLE = "CLUSTER_GROUPS";
    static final List<Integer> DEFAULT = List.of(1, ClusterBenchmark.NODES);

    private ClusterGroupCounts() {
    }

    /**
     * The counts {@code value} names, in the order given, each once.
     *
     * @throws InvalidSettingException naming the value and what is accepted
     */
    static List<Integer> parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        List<Integer> counts = new ArrayList<>();
        for (String item : value.split(",")) {
            int count;
            try {
                count = Integer.parseInt(item.trim());
            } catch (NumberFormatException e) {
                throw invalid(value);
            }
            if (count < 1 || count > GroupLayout.MAX_GROUPS) {
                throw invalid(value);
            }
            if (!counts.contains(count)) {
                counts.add(count);
            }
        }
        return List.copyOf(counts);
    }

    private static InvalidSettingException invalid(String value) {
        return new InvalidSettingException(VARIABLE, value, "numbers of Raft groups from 1 to " + GroupLayout.MAX_GROUPS
                + " separated by commas, e.g. 1,3");
    }

    /** The table row of a cluster with {@code groups} groups that is not the reference: {@code cluster-1g}. */
    static String rowName(int groups) {
        return ClusterTable.CLUSTER + "-" + groups + "g";
    }
}
