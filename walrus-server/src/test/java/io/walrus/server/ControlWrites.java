package io.walrus.server;

import io.walrus.client.WalrusClient;
import io.walrus.client.WriteMark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The campaign's own appends, to topics of their own, one in each Raft group: barriers (an append in
 * every group that every node must then commit: the cluster has caught up, each group's log holding
 * every write acknowledged before it) and probes (an append sent while a majority is down: it must
 * fail with an IOException, not hang and not succeed). Each recorded, and the topics checked as the
 * writers' are.
 */
final class ControlWrites {
    static final String PREFIX = "control";
    /** The probe client's timeout: short, so the campaign does not wait long for what must fail. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long past its timeout a probe may take before it counts as hung: one request attempt
     * (docs/CLUSTER.md: a call fails at most one attempt, 3 s, after its timeout) and a wide margin
     * for a loaded machine. A bound on hanging, not a measurement.
     */
    private static final Duration HANG_MARGIN = Duration.ofSeconds(30);

    private final WalrusClient control;
    private final WalrusClient probe;
    private final Set<String> attempted = new HashSet<>();
    /** Per control topic, its acknowledged barriers. */
    private final Map<String, Set<String>> acknowledged = new HashMap<>();
    private final List<String> topics;
    private long probeMillisMax;
    private int probes;

    ControlWrites(WalrusClient control, WalrusClient probe) {
        this.control = control;
        this.probe = probe;
        List<String> inGroups = new ArrayList<>();
        for (int group = 0; group < control.layout().count(); group++) {
            inGroups.add(ClusterGroupsTest.topicInGroup(control.layout(), group, PREFIX));
        }
        this.topics = List.copyOf(inGroups);
        topics.forEach(t -> acknowledged.put(t, new HashSet<>()));
    }

    /** The control topics, one in each group. */
    List<String> topics() {
        return topics;
    }

    /**
     * Appends a barrier in every group and waits until every node has committed them, so each holds
     * every write acknowledged before; how far the control client's writes went.
     */
    WriteMark barrier() throws IOException, InterruptedException {
        for (String topic : topics) {
            appendBarrier(topic);
        }
        WriteMark mark = control.lastWrites();
        control.awaitCommittedOnEveryNode(mark);
        return mark;
    }

    /**
     * One barrier in {@code topic}, acknowledged. An append may fail while the group's leadership
     * moves (a node that came back takes its group back: "is stepping down", for as long as the
     * hand-over takes), as any call may when a leader changes; such a barrier may or may not be there
     * (checked as a probe is), and another is appended until one is acknowledged or
     * {@link #BARRIER_SECONDS} have passed.
     */
    private void appendBarrier(String topic) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BARRIER_SECONDS);
        while (true) {
            String entry = "barrier-" + attempted.size();
            attempted.add(entry);
            try {
                control.appendForTopic(topic, entry.getBytes(StandardCharsets.UTF_8));
                acknowledged.get(topic).add(entry);
                return;
            } catch (IOException e) {
                failedBarriers++;
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                // Asking again at once would only meet the same hand-over.
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private static final long BARRIER_SECONDS = 120;
    private int failedBarriers;

    /** With a majority down: an append through the probe client must fail with an IOException, in bounded time. */
    void probeFails() throws InterruptedException {
        String entry = "probe-" + attempted.size();
        attempted.add(entry);
        long started = System.nanoTime();
        CompletableFuture<Void> append = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                probe.appendForTopic(topics.getFirst(), entry.getBytes(StandardCharsets.UTF_8));
                append.complete(null);
            } catch (Throwable e) {
                append.completeExceptionally(e);
            }
        });
        try {
            append.get(PROBE_TIMEOUT.plus(HANG_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            fail("append " + entry + " was acknowledged with a majority of the nodes down");
        } catch (TimeoutException e) {
            fail("append " + entry + " with a majority down neither failed nor succeeded within "
                    + PROBE_TIMEOUT.plus(HANG_MARGIN).toSeconds() + " s (client timeout " + PROBE_TIMEOUT.toSeconds()
                    + " s): it hangs");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof IOException, "append " + entry + " with a majority down failed with "
                    + e.getCause() + ", not an IOException");
        }
        probes++;
        probeMillisMax = Math.max(probeMillisMax, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A control topic as a node holds it: every barrier once, probes at most once, nothing else. */
    void checkTopic(String topic, List<String> held) {
        Set<String> seen = new HashSet<>();
        for (String entry : held) {
            assertTrue(attempted.contains(entry), "entry '" + entry + "' of '" + topic + "' was never appended");
            assertTrue(seen.add(entry), "entry '" + entry + "' of '" + topic + "' is there twice");
        }
        for (String entry : acknowledged.get(topic)) {
            assertTrue(seen.contains(entry), "acknowledged barrier '" + entry + "' is missing from '" + topic + "'");
        }
    }

    String summary() {
        return acknowledged.values().stream().mapToInt(Set::size).sum() + " barriers (" + failedBarriers
                + " more failed, e.g. during a leadership transfer); " + probes + " appends with a majority down, each an IOException"
                + (probes == 0 ? "" : " (the slowest after " + probeMillisMax + " ms)");
    }
}
