package io.walrus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walrus.Walrus;
import io.walrus.testing.ChildJvm;
import io.walrus.testing.CrashAppender;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TailCommandTest {
    @TempDir
    Path dir;

    @Test
    void tailPrintsTheLastEntries() throws IOException {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "t0", 50);
        }
        Cli.Run run = Cli.run(Cli.args(dir, "tail", "--topic", "t0", "-n", "3"));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(List.of("47  " + Logs.text("t0", 47), "48  " + Logs.text("t0", 48), "49  " + Logs.text("t0", 49)),
                run.lines());
    }

    /**
     * tail -f in this JVM, a writer in another: every entry the child appends (across blocks and
     * data files, the child resuming the block the first instance left) shows up, in order, once.
     */
    @Test
    void followSeesEntriesAppendedByAnotherJvm() throws Exception {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "t0", 10);
        }
        LineQueue out = new LineQueue();
        try (Follower tail = Follower.start(dir, out, false, "-n", "2", "--poll", "5")) {
            // The last two entries come first; only then is the writer started, so -n 2 counted from 10.
            assertEquals("8  " + Logs.text("t0", 8), out.next(tail));
            assertEquals("9  " + Logs.text("t0", 9), out.next(tail));
            int appended = 300;
            try (ChildJvm child = ChildJvm.start(CrashAppender.class, dir.toString(), "FD", "t", "10",
                    String.valueOf(appended))) {
                for (long i = 10; i < 10 + appended; i++) {
                    assertEquals(i + "  " + Logs.text("t0", i), out.next(tail), "entry " + i);
                }
                child.awaitLineStartingWith("DONE");
            }
            tail.interrupt();
            assertEquals(0, tail.awaitExit(), tail.toString());
        }
    }

    /**
     * Interrupted before it even starts: every channel operation it makes then finds the interrupt
     * pending, starting with the data files it opens. The interrupt is how -f is stopped, so this is
     * a stop like any other (before the fix, opening the first data file threw
     * ClosedByInterruptException and tail exited 2).
     */
    @Test
    void followInterruptedBeforeItOpensTheDirectoryExitsZero() throws Exception {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "t0", 1000); // several data files
        }
        try (Follower tail = Follower.start(dir, new LineQueue(), true, "-n", "5")) {
            assertEquals(0, tail.awaitExit(), tail.toString());
        }
    }

    /**
     * Its reader leaves ({@code walrus tail -f | head -3}): the first write after that fails, and
     * following ends there with exit 0, without an interrupt. Before, it followed for ever.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120) // a guard against the old hang, not a measurement
    void followEndsWithExitZeroWhenItsOutputIsClosed() throws Exception {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "t0", 10);
        }
        AtomicInteger lines = new AtomicInteger();
        Writer closesAfterThreeLines = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                for (int i = offset; i < offset + length; i++) {
                    if (buffer[i] == '\n' && lines.incrementAndGet() > 3) {
                        throw new IOException("Broken pipe");
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        int exit = Cli.execute(new ByteArrayInputStream(new byte[0]), closesAfterThreeLines, new StringWriter(),
                Cli.args(dir, "tail", "--topic", "t0", "-f", "--poll", "10"));
        assertEquals(0, exit);
        assertTrue(lines.get() > 3, "it wrote until the output failed");
    }

    /**
     * Interrupted while it prints: from inside the k-th line it writes (the first, one in the middle,
     * the last of the entries it starts with), on its own thread, so the interrupt is certainly
     * there before its next poll. It stops after the entries in hand and exits 0.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 150, 300})
    void followInterruptedWhilePrintingExitsZero(int stopAtLine) throws Exception {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "t0", 1000);
        }
        AtomicReference<Thread> printer = new AtomicReference<>();
        LineQueue out = new LineQueue(line -> {
            if (line == stopAtLine) {
                printer.set(Thread.currentThread());
                Thread.currentThread().interrupt(); // on the thread that prints: in the middle of its println
            }
        });
        try (Follower tail = Follower.start(dir, out, false, "-n", "300")) {
            assertEquals(0, tail.awaitExit(), tail.toString());
            assertEquals(tail.thread, printer.get());
        }
        List<String> lines = out.drain();
        assertTrue(lines.size() >= stopAtLine, lines.size() + " lines");
        for (int i = 0; i < lines.size(); i++) {
            assertEquals((700 + i) + "  " + Logs.text("t0", 700 + i), lines.get(i));
        }
    }

    /**
     * Interrupted while it waits for the next poll (a minute away, so it is certainly asleep when the
     * interrupt comes): it wakes at once and exits 0.
     */
    @Test
    void followInterruptedWhileSleepingBetweenPollsExitsZero() throws Exception {
        try (Walrus wal = Logs.open(dir)) {
            Logs.append(wal, "t0", 20);
        }
        LineQueue out = new LineQueue();
        try (Follower tail = Follower.start(dir, out, false, "-n", "1", "--poll", "60000")) {
            assertEquals("19  " + Logs.text("t0", 19), out.next(tail));
            tail.awaitState(Thread.State.TIMED_WAITING); // in Thread.sleep: nothing else it does waits with a timeout
            tail.interrupt();
            assertEquals(0, tail.awaitExit(), tail.toString());
        }
    }

    /**
     * Interrupted during its reads: many rounds, each with a writer in this JVM that appends one
     * entry each time the follower has printed the one before (so the follower spends its time in
     * polls: reading the block, re-reading block headers, listing the directory, opening the data
     * files the writer rolls over to), and from line k on (k different in each round) another
     * thread interrupting the follower over and over until it has exited. An interrupt that lands in
     * a FileChannel read closes the channel and the read throws ClosedByInterruptException; one that
     * is pending when a data file is opened does the same. Every round must exit 0 having printed
     * the entries in order.
     */
    @Test
    void followInterruptedDuringItsReadsExitsZero() throws Exception {
        int rounds = 40;
        for (int round = 0; round < rounds; round++) {
            Path roundDir = Files.createDirectory(dir.resolve("round-" + round));
            int stopAtLine = 2 + (round * 97) % 1200; // spread over blocks and the data files the writer creates
            try (Walrus wal = Logs.open(roundDir)) {
                wal.appendForTopic("t0", small(0));
                Semaphore printed = new Semaphore(0);
                CountDownLatch stopping = new CountDownLatch(1);
                LineQueue out = new LineQueue(line -> {
                    printed.release();
                    if (line == stopAtLine) {
                        stopping.countDown();
                    }
                });
                Follower tail = Follower.start(roundDir, out, false, "-n", "1", "--poll", "1");
                AtomicReference<Throwable> writerFailure = new AtomicReference<>();
                Thread writer = Thread.ofPlatform().daemon().name("writer-" + round).start(() -> {
                    try {
                        for (int i = 1; tail.thread.isAlive(); i++) {
                            // Lockstep with the follower, not a timing: entry i once i - 1 is printed.
                            while (!printed.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                                if (!tail.thread.isAlive()) {
                                    return;
                                }
                            }
                            wal.appendForTopic("t0", small(i));
                        }
                    } catch (Throwable e) {
                        writerFailure.set(e);
                    }
                });
                Thread interrupter = Thread.ofPlatform().daemon().name("interrupter-" + round).start(() -> {
                    try {
                        stopping.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (tail.thread.isAlive()) {
                        tail.interrupt();
                        Thread.onSpinWait();
                    }
                });
                int exit;
                try {
                    exit = tail.awaitExit();
                } finally {
                    stopping.countDown();
                    tail.close();
                    writer.join(ChildJvm.TIMEOUT); // both end as soon as the follower has
                    interrupter.join(ChildJvm.TIMEOUT);
                }
                assertEquals(null, writerFailure.get(), "the writer failed");
                assertEquals(0, exit, "round " + round + ", interrupted from line " + stopAtLine + ": " + tail);
                List<String> lines = out.drain();
                assertTrue(lines.size() >= stopAtLine, "round " + round + ": " + lines.size() + " lines");
                for (int i = 0; i < lines.size(); i++) {
                    assertEquals(i + "  " + new String(small(i), StandardCharsets.UTF_8), lines.get(i),
                            "round " + round);
                }
            }
        }
    }

    /** Entry {@code i} of the lockstep rounds: about 700 bytes, so a thousand cross blocks and files. */
    private static byte[] small(int i) {
        return ("e" + i + "|" + "x".repeat(700)).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code walrus tail DIR --topic t0 -f OPTIONS} on a thread of its own, as bin/walrus runs it. */
    private static final class Follower implements AutoCloseable {
        final Thread thread;
        final StringWriter err = new StringWriter();
        final AtomicInteger exit = new AtomicInteger(-1);

        private Follower(Path dir, LineQueue out, boolean interruptedFirst, String... options) {
            List<String> args = new ArrayList<>(List.of("--topic", "t0", "-f"));
            args.addAll(List.of(options));
            String[] all = Cli.args(dir, "tail", args.toArray(String[]::new));
            this.thread = Thread.ofPlatform().name("walrus-tail").unstarted(() -> {
                if (interruptedFirst) {
                    Thread.currentThread().interrupt();
                }
                exit.set(Cli.execute(new ByteArrayInputStream(new byte[0]), out, err, all));
            });
        }

        static Follower start(Path dir, LineQueue out, boolean interruptedFirst, String... options) {
            Follower follower = new Follower(dir, out, interruptedFirst, options);
            follower.thread.start();
            return follower;
        }

        void interrupt() {
            thread.interrupt();
        }

        /** Its exit status; fails if it has not exited within {@link ChildJvm#TIMEOUT}. */
        int awaitExit() throws InterruptedException {
            if (!thread.join(ChildJvm.TIMEOUT)) {
                fail("tail -f did not exit within " + ChildJvm.TIMEOUT + " (" + thread.getState() + "): " + this);
            }
            return exit.get();
        }

        /** Waits (yielding, with a timeout only a hang reaches) until the thread is in {@code state}. */
        void awaitState(Thread.State state) {
            long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
            while (thread.getState() != state) {
                assertFalse(System.nanoTime() > deadline, "tail -f never got to " + state + ": " + this);
                assertTrue(thread.isAlive(), "tail -f exited: " + this);
                Thread.yield();
            }
        }

        /** Stops it if a failed assertion left it running, so nothing reads the directory after the test. */
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(ChildJvm.TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return "exit " + exit.get() + ", stderr: " + err;
        }
    }

    /** Collects what the command prints, line by line, for the test to wait on (with a timeout). */
    private static final class LineQueue extends Writer {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        /** Told the number (1, 2, ...) of each line once it is queued, on the thread that printed it. */
        private final IntConsumer onLine;
        private int count;

        LineQueue() {
            this(line -> { });
        }

        LineQueue(IntConsumer onLine) {
            this.onLine = onLine;
        }

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (chars[i] == '\n') {
                    lines.add(partial.toString());
                    partial.setLength(0);
                    onLine.accept(++count);
                } else {
                    partial.append(chars[i]);
                }
            }
        }

        /** The next line; fails at once if tail has exited without printing it (with what it said). */
        String next(Follower tail) throws InterruptedException {
            long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    return line;
                }
                if (!tail.thread.isAlive() && lines.isEmpty()) {
                    fail("tail -f exited before printing the next line: " + tail);
                }
            }
            return fail("tail printed nothing more within " + ChildJvm.TIMEOUT + ": " + tail);
        }

        /** Every line not taken yet; call once the command has exited. */
        List<String> drain() {
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            return rest;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
