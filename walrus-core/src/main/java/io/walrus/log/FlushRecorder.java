package io.walrus.log;

import io.walrus.jfr.FlushEvent;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forces an instance's dirty data files, counting and timing every fsync for {@code Walrus.stats()}
 * and recording each flush as a JFR {@link FlushEvent}. Called once per flush (a group-commit round,
 * a periodic tick, close), never per append, so its atomics and one event object cost nothing that
 * matters beside the fsync itself.
 */
final class FlushRecorder {
    private final String directory;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong fsyncNanos = new AtomicLong();
    private final AtomicLong maxFsyncNanos = new AtomicLong();

    FlushRecorder(String directory) {
        this.directory = directory;
    }

    /** Forces every dirty file of {@code files}; stops at the first failure (the caller fails the instance). */
    void flushAll(Iterable<LogFile> files) throws IOException {
        FlushEvent event = new FlushEvent();
        event.begin();
        int forced = 0;
        boolean failed = true;
        try {
            for (LogFile file : files) {
                if (!file.tryPin()) {
                    continue; // being deleted: every entry in it is consumed, nothing to make durable
                }
                try {
                    long started = System.nanoTime();
                    if (file.flushIfDirty()) {
                        record(System.nanoTime() - started);
                        forced++;
                    }
                } finally {
                    file.unpin();
                }
            }
            failed = false;
        } finally {
            if ((forced > 0 || failed) && event.shouldCommit()) {
                event.directory = directory;
                event.files = forced;
                event.failed = failed;
                event.commit();
            }
        }
    }

    private void record(long nanos) {
        fsyncs.incrementAndGet();
        fsyncNanos.addAndGet(nanos);
        maxFsyncNanos.accumulateAndGet(nanos, Math::max);
    }

    long fsyncs() {
        return fsyncs.get();
    }

    long fsyncNanos() {
        return fsyncNanos.get();
    }

    long maxFsyncNanos() {
        return maxFsyncNanos.get();
    }
}
