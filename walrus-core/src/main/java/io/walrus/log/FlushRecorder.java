package io.walrus.log;

import io.walrus.jfr.FlushEvent;
import io.walrus.storage.BatchIo;
import io.walrus.storage.DataFile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
        flushAll(files, BatchIo.SEQUENTIAL);
    }

    /**
     * Forces every dirty file of {@code files}: one by one, or with a {@link BatchIo} that can, all
     * at once (N fsyncs in one io_uring submission take about as long as the slowest, not the sum).
     */
    void flushAll(Iterable<LogFile> files, BatchIo io) throws IOException {
        FlushEvent event = new FlushEvent();
        event.begin();
        int forced = 0;
        boolean failed = true;
        try {
            forced = io == BatchIo.SEQUENTIAL ? forceOneByOne(files) : forceTogether(files, io);
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

    private int forceOneByOne(Iterable<LogFile> files) throws IOException {
        int forced = 0;
        for (LogFile file : files) {
            if (!file.tryPin()) {
                continue; // being deleted: every entry in it is consumed, nothing to make durable
            }
            try {
                long started = System.nanoTime();
                if (file.flushIfDirty()) {
                    record(1, System.nanoTime() - started);
                    forced++;
                }
            } finally {
                file.unpin();
            }
        }
        return forced;
    }

    /** Starts the flush of every file, forces those that need it in one call, then finishes every flush. */
    private int forceTogether(Iterable<LogFile> files, BatchIo io) throws IOException {
        List<LogFile> started = new ArrayList<>();
        List<Integer> states = new ArrayList<>();
        for (LogFile file : files) {
            if (!file.tryPin()) {
                continue; // being deleted: every entry in it is consumed, nothing to make durable
            }
            int state = file.startFlush();
            if (state != LogFile.NOTHING_TO_FORCE) {
                started.add(file); // stays pinned until its flush finishes
                states.add(state);
            } else {
                file.finishFlush(state, null);
                file.unpin();
            }
        }
        if (started.isEmpty()) {
            return 0;
        }
        DataFile[] toForce = new DataFile[started.size()];
        for (int i = 0; i < toForce.length; i++) {
            toForce[i] = started.get(i).io;
        }
        IOException failure = null;
        long begun = System.nanoTime();
        try {
            io.forceAll(toForce, toForce.length);
        } catch (IOException e) {
            failure = toForce.length == 1 ? started.getFirst().failed(e)
                    : new IOException("fsync of " + toForce.length + " files failed: " + e.getMessage(), e);
            throw failure;
        } finally {
            for (int i = 0; i < started.size(); i++) {
                started.get(i).finishFlush(states.get(i), failure);
                started.get(i).unpin();
            }
        }
        record(toForce.length, System.nanoTime() - begun);
        return toForce.length;
    }

    /** {@code files} fsyncs that together took {@code nanos}. */
    private void record(int files, long nanos) {
        fsyncs.addAndGet(files);
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
