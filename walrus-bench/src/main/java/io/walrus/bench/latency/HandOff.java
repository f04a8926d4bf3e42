package io.walrus.bench.latency;

import java.io.IOException;
import java.time.Duration;

/** One way to get a timestamp from a sending thread to a receiving thread that waits for it. */
interface HandOff extends AutoCloseable {
    /** For the report: what carries the timestamps. */
    String name();

    /** Sends {@code stampNanos} (a {@link System#nanoTime()}) to the receiver. */
    void send(long stampNanos) throws Exception;

    /** The next timestamp sent, waiting at most {@code timeout} for it; -1 if none came. */
    long receive(Duration timeout) throws Exception;

    @Override
    void close() throws IOException;
}
