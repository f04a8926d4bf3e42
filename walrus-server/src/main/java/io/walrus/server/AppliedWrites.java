package io.walrus.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the state machine counts as it applies: appends and their entries, and how long each write
 * took to apply. Counted in this process since it started, replays of the log after a restart
 * included (a scraper's rate() over them is the node's apply rate, which is what they are for).
 */
final class AppliedWrites {
    private final Counter appends = Counter.builder()
            .name("walrus_applied_appends_total")
            .help("Append commands (single appends and batches) this node applied since it started")
            .build();
    private final Counter entries = Counter.builder()
            .name("walrus_applied_entries_total")
            .help("Entries those appends carried (a batch counts each of its entries)")
            .build();
    // Applying one write to the node's Walrus (no fsync: NodeStorage) takes microseconds to a few
    // milliseconds; the default buckets start at 5 ms and would put nearly everything in the first.
    private final Histogram applySeconds = Histogram.builder()
            .name("walrus_apply_seconds")
            .help("Time from the start of the state machine's applyTransaction to its end, per write command")
            .labelNames("command")
            .classicOnly()
            .classicExponentialUpperBounds(0.000_01, 2.5, 12)
            .build();

    // From a few hundred microseconds (a warm leader on a quiet machine) to seconds (a follower's
    // fsync stuck, an election): 100 us doubling to 3.3 s.
    private final Histogram appendSeconds = Histogram.builder()
            .name("walrus_append_seconds")
            .help("On the group's leader: time from receiving an append (single or batch) to having applied it, "
                    + "committed by a majority; what a client waits for, less the network")
            .labelNames("group")
            .classicOnly()
            .classicExponentialUpperBounds(0.000_1, 2, 16)
            .build();

    /** Makes the counts visible on {@code registry}'s scrapes. */
    void register(PrometheusRegistry registry) {
        registry.register(appends);
        registry.register(entries);
        registry.register(applySeconds);
        registry.register(appendSeconds);
    }

    /** An append this node received as leader of group {@code group}, applied {@code nanos} after it arrived. */
    void appendLatency(int group, long nanos) {
        appendSeconds.labelValues(Integer.toString(group)).observe(nanos / 1e9);
    }

    void appended(int entryCount) {
        appends.inc();
        entries.inc(entryCount);
    }

    void applied(String command, long startNanos) {
        applySeconds.labelValues(command).observe((System.nanoTime() - startNanos) / 1e9);
    }
}
