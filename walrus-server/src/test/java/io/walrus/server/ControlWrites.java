package io.walrus.server;

import io.walrus.client.WalrusClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The campaign's own appends, to a topic of their own: barriers (an append every node must then
 * commit: the cluster has caught up) and probes (an append sent while a majority is down: it must
 * fail with an IOException, not hang and not succeed). Each recorded, and the topic checked as the
 * writers' are.
 */
final class ControlWrites {
    static final String TOPIC = "control";
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
    private final Set<String> acknowledged = new HashSet<>();
    private long probeMillisMax;
    private int probes;

    ControlWrites(WalrusClient control, WalrusClient probe) {
        this.control = control;
        this.probe = probe;
    }

    /**
     * Appends a barrier and waits until every node has committed it, so each holds every write
     * acknowledged before; its log index.
     */
    long barrier() throws IOException {
        String entry = "barrier-" + attempted.size();
        attempted.add(entry);
        control.appendForTopic(TOPIC, entry.getBytes(StandardCharsets.UTF_8));
        acknowledged.add(entry);
        long index = control.lastWriteIndex();
        control.awaitCommittedOnEveryNode(index);
        return index;
    }

    /** With a majority down: an append through the probe client must fail with an IOException, in bounded time. */
    void probeFails() throws InterruptedException {
        String entry = "probe-" + attempted.size();
        attempted.add(entry);
        long started = System.nanoTime();
        CompletableFuture<Void> append = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                probe.appendForTopic(TOPIC, entry.getBytes(StandardCharsets.UTF_8));
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

    /** The control topic as a node holds it: every barrier once, probes at most once, nothing else. */
    void checkTopic(List<String> held) {
        Set<String> seen = new HashSet<>();
        for (String entry : held) {
            assertTrue(attempted.contains(entry), "entry '" + entry + "' of '" + TOPIC + "' was never appended");
            assertTrue(seen.add(entry), "entry '" + entry + "' of '" + TOPIC + "' is there twice");
        }
        for (String entry : acknowledged) {
            assertTrue(seen.contains(entry), "acknowledged barrier '" + entry + "' is missing from '" + TOPIC + "'");
        }
    }

    String summary() {
        return acknowledged.size() + " barriers; " + probes + " appends with a majority down, each an IOException"
                + (probes == 0 ? "" : " (the slowest after " + probeMillisMax + " ms)");
    }
}
