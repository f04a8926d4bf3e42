package io.walrus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.testing.ChildJvm;
import io.walrus.testing.TestWals;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads that wait for an entry: they return once another thread commits one, empty at their timeout,
 * and with IllegalStateException when the instance closes (or their consumer is removed) meanwhile.
 * Each waiter runs in a thread of its own; a test lets it park first ({@link #awaitParked}: its state
 * is TIMED_WAITING, which only the wait for a commit is), so the wake-up path is what is tested.
 * No assertion is about elapsed time, except that a waiter returned at all.
 */
class WaitingReadTest {
    /** Far beyond any test: a waiter that should be woken is never saved by its timeout. */
    private static final Duration FOREVER = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private Walrus wal;
    private final List<Thread> waiters = new ArrayList<>();
    private final List<FutureTask<?>> tasks = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        wal = TestWals.small(dir).fsync(FsyncSchedule.noFsync()).open();
    }

    @AfterEach
    void close() throws Exception {
        wal.close();
        for (Thread waiter : waiters) {
            waiter.join(ChildJvm.TIMEOUT);
        }
    }

    @Test
    void waitingReadReturnsTheEntryAnotherThreadAppends() throws Exception {
        wal.appendForTopic("t", bytes("first"));
        wal.readNext("t", true);
        FutureTask<Optional<Entry>> read = waiter(() -> wal.readNext("t", true, FOREVER));
        awaitParked(read);
        wal.appendForTopic("t", bytes("second"));
        assertEquals("second", text(result(read)));
        assertEquals(Optional.empty(), wal.readNext("t", false), "the waiting read checkpointed it");
    }

    @Test
    void waitingReadOfATopicThatDoesNotExistYetReturnsItsFirstEntry() throws Exception {
        FutureTask<Optional<Entry>> read = waiter(() -> wal.readNext("new", true, FOREVER));
        awaitParked(read);
        wal.appendForTopic("other", bytes("not this one"));
        wal.appendForTopic("new", bytes("first"));
        assertEquals("first", text(result(read)));
    }

    @Test
    void waitingBatchReadReturnsAWholeBatchAnotherThreadAppends() throws Exception {
        FutureTask<List<Entry>> read = waiter(() -> wal.batchReadForTopic("t", Long.MAX_VALUE, true, FOREVER));
        awaitParked(read);
        wal.batchAppendForTopic("t", List.of(bytes("a"), bytes("b"), bytes("c")));
        assertEquals(List.of("a", "b", "c"), result(read).stream().map(e -> new String(e.data(), UTF_8)).toList());
    }

    @Test
    void everyConsumerWaitingOnATopicGetsTheOneEntryAppended() throws Exception {
        List<FutureTask<Optional<Entry>>> reads = new ArrayList<>();
        for (String name : List.of("indexer", "replicator", "audit")) {
            Consumer consumer = wal.consumer(name);
            reads.add(waiter(() -> consumer.readNext("t", true, FOREVER)));
        }
        FutureTask<Optional<Entry>> byDefault = waiter(() -> wal.readNext("t", true, FOREVER));
        for (FutureTask<Optional<Entry>> read : reads) {
            awaitParked(read);
        }
        awaitParked(byDefault);
        wal.appendForTopic("t", bytes("news"));
        for (FutureTask<Optional<Entry>> read : reads) {
            assertEquals("news", text(result(read)));
        }
        assertEquals("news", text(result(byDefault)));
    }

    /**
     * Ping-pong: each append waits until every reader has returned the previous entry, so a lost
     * wake-up (a reader parked although its entry was committed) would stall the exchange instead of
     * being covered by the next append. Thousands of rounds exercise the race between a reader
     * registering and the writer committing.
     */
    @Test
    void noWakeUpIsLostWhenEachAppendWaitsForEveryReaderToReturnThePrevious() throws Exception {
        int rounds = 1_000;
        Consumer indexer = wal.consumer("indexer");
        Consumer audit = wal.consumer("audit");
        List<Callable<Optional<Entry>>> readers = List.of(
                () -> wal.readNext("ping", true, ChildJvm.TIMEOUT),
                () -> indexer.readNext("ping", true, ChildJvm.TIMEOUT),
                () -> audit.readNext("ping", true, ChildJvm.TIMEOUT));
        java.util.concurrent.Semaphore returned = new java.util.concurrent.Semaphore(0);
        List<FutureTask<Integer>> loops = new ArrayList<>();
        for (Callable<Optional<Entry>> reader : readers) {
            loops.add(waiter(() -> {
                for (int i = 0; i < rounds; i++) {
                    Optional<Entry> entry = reader.call();
                    if (entry.isEmpty() || !text(entry).equals("ping " + i)) {
                        throw new AssertionError("round " + i + ": got " + entry.map(e -> new String(e.data(), UTF_8)));
                    }
                    returned.release();
                }
                return rounds;
            }));
        }
        for (int i = 0; i < rounds; i++) {
            wal.appendForTopic("ping", bytes("ping " + i));
            if (!returned.tryAcquire(readers.size(), ChildJvm.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("round " + i + ": not every reader returned the entry; a wake-up was lost");
            }
        }
        for (FutureTask<Integer> loop : loops) {
            assertEquals(rounds, result(loop));
        }
    }

    @Test
    void waitingReadReturnsEmptyAtItsTimeout() throws IOException {
        wal.appendForTopic("t", bytes("only"));
        wal.readNext("t", true);
        assertEquals(Optional.empty(), wal.readNext("t", true, Duration.ofMillis(20)), "existing topic");
        assertEquals(Optional.empty(), wal.readNext("none", true, Duration.ofMillis(20)), "unknown topic");
        assertEquals(List.of(), wal.batchReadForTopic("t", 100, true, Duration.ofMillis(20)), "batch");
        Consumer consumer = wal.consumer("c");
        consumer.readNext("t", true);
        assertEquals(Optional.empty(), consumer.readNext("t", true, Duration.ofMillis(20)), "consumer");
        assertEquals(Optional.empty(), consumer.readNext("t", true, Duration.ZERO), "zero does not wait");
        wal.appendForTopic("t", bytes("after"));
        assertEquals("after", text(consumer.readNext("t", true, Duration.ZERO)), "and the instance still works");
    }

    @Test
    void waitingReadReturnsAnEntryAlreadyThereWithoutWaiting() throws IOException {
        wal.appendForTopic("t", bytes("there"));
        assertEquals("there", text(wal.readNext("t", true, FOREVER)));
    }

    @Test
    void closeWakesEveryWaiterWithIllegalStateException() throws Exception {
        wal.appendForTopic("t", bytes("consumed"));
        wal.readNext("t", true);
        Consumer consumer = wal.consumer("c");
        consumer.readNext("t", true);
        List<FutureTask<?>> reads = List.of(
                waiter(() -> wal.readNext("t", true, FOREVER)),
                waiter(() -> wal.readNext("not-yet", true, FOREVER)),
                waiter(() -> consumer.readNext("t", true, FOREVER)),
                waiter(() -> consumer.batchReadForTopic("not-yet", 100, true, FOREVER)));
        for (FutureTask<?> read : reads) {
            awaitParked(read);
        }
        wal.close();
        for (FutureTask<?> read : reads) {
            assertInstanceOf(IllegalStateException.class, failure(read));
        }
    }

    @Test
    void removingAConsumerWakesItsWaitersWithIllegalStateException() throws Exception {
        Consumer consumer = wal.consumer("c");
        FutureTask<Optional<Entry>> onTopic = waiter(() -> consumer.readNext("t", true, FOREVER));
        FutureTask<Optional<Entry>> onNewTopic = waiter(() -> consumer.readNext("new", true, FOREVER));
        wal.appendForTopic("t", bytes("x"));
        assertEquals("x", text(result(onTopic)), "a first waiter is woken by the append");
        FutureTask<Optional<Entry>> again = waiter(() -> consumer.readNext("t", true, FOREVER));
        awaitParked(again);
        awaitParked(onNewTopic);
        wal.removeConsumer("c");
        assertInstanceOf(IllegalStateException.class, failure(again));
        assertInstanceOf(IllegalStateException.class, failure(onNewTopic));
    }

    @Test
    void interruptedWaitingReadThrowsInterruptedIOExceptionKeepingTheInterrupt() throws Exception {
        CountDownLatch interruptedAfter = new CountDownLatch(1);
        boolean[] stillInterrupted = new boolean[1];
        FutureTask<Optional<Entry>> read = waiter(() -> {
            try {
                return wal.readNext("t", true, FOREVER);
            } finally {
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
                interruptedAfter.countDown();
            }
        });
        awaitParked(read);
        threadOf(read).interrupt();
        assertInstanceOf(InterruptedIOException.class, failure(read));
        assertTrue(interruptedAfter.await(ChildJvm.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(stillInterrupted[0], "the interrupt status is kept");
        wal.appendForTopic("t", bytes("fine"));
        assertEquals("fine", text(wal.readNext("t", true, FOREVER)), "the instance is unharmed");
    }

    // ------------------------------------------------------------------ helpers

    private <T> FutureTask<T> waiter(Callable<T> read) {
        FutureTask<T> task = new FutureTask<>(read);
        tasks.add(task);
        waiters.add(Thread.ofPlatform().name("waiter-" + waiters.size()).daemon().start(task));
        return task;
    }

    private Thread threadOf(FutureTask<?> task) {
        return waiters.get(tasks.indexOf(task));
    }

    /**
     * Until the waiter's thread is parked with a timeout, which only the wait for a commit does (the
     * locks a read takes park without one). Polls the thread's state: it synchronises nothing, it only
     * makes sure the test exercises the wake-up rather than a read that never had to wait.
     */
    private void awaitParked(FutureTask<?> task) {
        Thread thread = threadOf(task);
        long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (task.isDone()) {
                fail("the read returned instead of waiting: " + describe(task));
            }
            if (System.nanoTime() > deadline) {
                fail("the read did not start waiting within " + ChildJvm.TIMEOUT);
            }
            Thread.yield();
        }
    }

    private static <T> T result(FutureTask<T> task) throws Exception {
        try {
            return task.get(ChildJvm.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("the waiting read did not return within " + ChildJvm.TIMEOUT);
        }
    }

    private static Throwable failure(FutureTask<?> task) throws Exception {
        try {
            Object value = task.get(ChildJvm.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return fail("expected the read to fail, but it returned " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("the waiting read was not woken within " + ChildJvm.TIMEOUT);
        }
    }

    private static String describe(FutureTask<?> task) {
        try {
            return String.valueOf(task.get());
        } catch (InterruptedException | ExecutionException e) {
            return e.toString();
        }
    }

    private static String text(Optional<Entry> entry) {
        assertTrue(entry.isPresent(), "expected an entry");
        return new String(entry.get().data(), UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
