package io.walrus.testing;

import java.io.IOException;
import java.io.PrintStream;

/** What every child main does: report in complete, flushed lines, and never outlive its parent. */
public final class ChildSupport {
    private static final PrintStream OUT = System.out;

    private ChildSupport() {
    }

    /**
     * The parent never writes to our stdin; when it goes away the pipe closes and this halts us, so an
     * orphaned writer cannot fill the disk. Any uncaught exception also ends the child, with status 1.
     */
    public static void watchParent() {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing to read; wait for end of stream
                }
            } catch (IOException ignored) {
                // same as end of stream
            }
            Runtime.getRuntime().halt(3);
        });
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            System.err.println("uncaught in " + thread.getName() + ":");
            error.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(1);
        });
    }

    /** One line, written to the pipe before this returns. */
    public static void say(String line) {
        synchronized (OUT) {
            OUT.print(line + "\n");
            OUT.flush();
        }
    }

    /** Wait to be killed. */
    public static void awaitKill() throws InterruptedException {
        Thread.currentThread().join();
    }
}
