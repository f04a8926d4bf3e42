package io.walrus.server;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.codahale.metrics.Snapshot;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ratis's own timers of its log worker (ratis-metrics-default, a Dropwizard registry per group
 * member), re-exported: {@code syncTime} around each write-out and fsync of the Raft log,
 * {@code flushTime} around the whole flush step. Dropwizard keeps counts and a reservoir of recent
 * samples, not a sum of times, so these are a count and recent percentiles rather than a histogram.
 */
final class RaftLogTimers {
    /** Ratis's names (SegmentedRaftLogMetrics) and ours. */
    private static final Map<String, String> TIMERS = Map.of("syncTime", "sync", "flushTime", "flush");

    private RaftLogTimers() {
    }

    static void register(PrometheusRegistry registry, Supplier<WalrusNode> node) {
        CounterWithCallback.builder().name("walrus_raft_log_ops_total")
                .help("Raft log flushes (op=flush) and write-outs with fsync (op=sync) since the node started, "
                        + "from Ratis's log-worker timers")
                .labelNames("group", "op")
                .callback(cb -> NodeMetrics.readOrSkip("walrus_raft_log_ops_total",
                        () -> each(node, (group, op, timer) -> cb.call(timer.getCount(), group, op))))
                .register(registry);
        GaugeWithCallback.builder().name("walrus_raft_log_op_seconds")
                .help("Recent durations of those operations (Ratis's sample reservoir): stat=p50, p99 or max")
                .labelNames("group", "op", "stat")
                .callback(cb -> NodeMetrics.readOrSkip("walrus_raft_log_op_seconds", () -> each(node, (group, op, timer) -> {
                    Snapshot recent = timer.getSnapshot();
                    double toSeconds = 1.0 / TimeUnit.SECONDS.toNanos(1);
                    cb.call(recent.getMedian() * toSeconds, group, op, "p50");
                    cb.call(recent.get99thPercentile() * toSeconds, group, op, "p99");
                    cb.call(recent.getMax() * toSeconds, group, op, "max");
                })))
                .register(registry);
    }

    /** Recent durations of the Raft log's write-outs with fsync in {@code division} (Ratis's reservoir), if it has any yet. */
    static Optional<Snapshot> recentSyncs(RaftServer.Division division) {
        List<Snapshot> found = new ArrayList<>(1);
        each("", division, (group, op, timer) -> {
            if (op.equals("sync") && timer.getCount() > 0) {
                found.add(timer.getSnapshot());
            }
        });
        return found.stream().findFirst();
    }

    @FunctionalInterface
    private interface TimerVisitor {
        void visit(String group, String op, Timer timer);
    }

    private static void each(Supplier<WalrusNode> node, TimerVisitor visitor) {
        WalrusNode current = node.get();
        if (current != null) {
            current.divisions().forEach(division -> each(NodeMetrics.group(current, division), division, visitor));
        }
    }

    private static void each(String group, RaftServer.Division division, TimerVisitor visitor) {
        String member = division.getMemberId().toString();
        // One timer per operation: while a group restarts, Ratis may hold the old and the new log
        // worker's registries at once, and a label set reported twice fails the whole scrape.
        Set<String> seen = new HashSet<>();
        for (var registry : MetricRegistries.global().getMetricRegistries()) {
            MetricRegistryInfo info = registry.getMetricRegistryInfo();
            if (!(registry instanceof RatisMetricRegistryImpl impl) || !member.equals(info.getPrefix())
                    || !"log_worker".equals(info.getMetricsComponentName())) {
                continue;
            }
            // The registry prefixes each name; match on the end.
            impl.getDropWizardMetricRegistry().getTimers().forEach((name, timer) -> TIMERS.forEach((ratis, op) -> {
                if ((name.equals(ratis) || name.endsWith("." + ratis)) && seen.add(op)) {
                    visitor.visit(group, op, timer);
                }
            }));
        }
    }
}
