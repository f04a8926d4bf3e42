package io.walrus.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The long polls behind waiting reads: a poll parks as a future, completed with {@code true} when
 * an entry of its topic is applied, or {@code false} when its time is up. No thread waits per poll;
 * one timer thread serves every timeout.
 */
final class EntryWaiters implements AutoCloseable {
    private final Map<String, List<CompletableFuture<Boolean>>> byTopic = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "walrus-long-polls");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Completes with true as soon as {@code readable} holds (now, or after an entry of {@code topic} is
     * applied), with false after {@code timeoutMillis}.
     */
    CompletableFuture<Boolean> await(String topic, BooleanSupplier readable, long timeoutMillis) {
        CompletableFuture<Boolean> poll = new CompletableFuture<>();
        // Registered before the check: an entry applied in between wakes it, so none is missed.
        byTopic.compute(topic, (t, polls) -> {
            List<CompletableFuture<Boolean>> list = polls != null ? polls : new ArrayList<>();
            list.add(poll);
            return list;
        });
        if (readable.getAsBoolean()) {
            poll.complete(true);
        } else {
            timer.schedule(() -> poll.complete(false), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        poll.whenComplete((r, e) -> forget(topic, poll));
        return poll;
    }

    /** After entries of {@code topic} were applied: every poll on it answers. Cheap when there is none. */
    void entriesApplied(String topic) {
        List<CompletableFuture<Boolean>> polls = byTopic.remove(topic);
        if (polls != null) {
            // Out of the map now, so no one adds to this list any more.
            polls.forEach(p -> p.complete(true));
        }
    }

    /** Every poll answers (the state was replaced, or the node stops): the clients look again. */
    void wakeAll() {
        for (String topic : List.copyOf(byTopic.keySet())) {
            entriesApplied(topic);
        }
    }

    private void forget(String topic, CompletableFuture<Boolean> poll) {
        byTopic.computeIfPresent(topic, (t, polls) -> {
            polls.remove(poll);
            return polls.isEmpty() ? null : polls;
        });
    }

    @Override
    public void close() {
        wakeAll();
        timer.shutdownNow();
    }
}
