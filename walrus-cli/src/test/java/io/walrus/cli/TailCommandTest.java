package io.walrus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.walrus.Walrus;
import io.walrus.testing.ChildJvm;
import io.walrus.testing.CrashAppender;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        AtomicInteger exit = new AtomicInteger(-1);
        Thread tail = Thread.ofPlatform().name("walrus-tail").start(() -> exit.set(Cli.execute(
                new ByteArrayInputStream(new byte[0]), out, new StringWriter(),
                Cli.args(dir, "tail", "--topic", "t0", "-n", "2", "-f", "--poll", "5"))));
        try {
            // The last two entries come first; only then is the writer started, so -n 2 counted from 10.
            assertEquals("8  " + Logs.text("t0", 8), out.next());
            assertEquals("9  " + Logs.text("t0", 9), out.next());
            int appended = 300;
            try (ChildJvm child = ChildJvm.start(CrashAppender.class, dir.toString(), "FD", "t", "10",
                    String.valueOf(appended))) {
                for (long i = 10; i < 10 + appended; i++) {
                    assertEquals(i + "  " + Logs.text("t0", i), out.next(), "entry " + i);
                }
                child.awaitLineStartingWith("DONE");
            }
        } finally {
            tail.interrupt();
            tail.join(ChildJvm.TIMEOUT);
        }
        assertEquals(0, exit.get());
    }

    /** Collects what the command prints, line by line, for the test to wait on (with a timeout). */
    private static final class LineQueue extends Writer {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (chars[i] == '\n') {
                    lines.add(partial.toString());
                    partial.setLength(0);
                } else {
                    partial.append(chars[i]);
                }
            }
        }

        String next() throws InterruptedException {
            String line = lines.poll(ChildJvm.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(line, "tail printed nothing more within " + ChildJvm.TIMEOUT);
            return line;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
