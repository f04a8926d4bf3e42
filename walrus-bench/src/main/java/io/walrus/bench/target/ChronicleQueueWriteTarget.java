package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Chronicle Queue, one queue per writer's topic, each entry one excerpt written through
 * {@code writingDocument()} (Chronicle's garbage-free path: the payload is copied straight into
 * the memory-mapped queue file). A batch is that many excerpts: Chronicle has no atomic multi-entry
 * append.
 *
 * <p>Durability: sync-each and the interval mode build the queue with {@link SyncMode#SYNC}, under
 * which {@link ExcerptAppender#sync()} msyncs what was written since the last sync (with
 * {@code SyncMode.NONE} it does nothing, and {@code SYNC} alone does not sync every excerpt: a run
 * measured 360 k "synced" writes/s that way). sync-each calls it after every append; no-fsync
 * leaves it all to the kernel. An appender belongs to one thread, so in the interval mode the
 * background thread only raises a flag and the writer syncs at its next append.
 */
public final class ChronicleQueueWriteTarget implements WriteTarget {
    private final Path directory;
    private final FsyncMode fsync;
    private final PeriodicForcer forcer;
    private final List<SingleChronicleQueue> queues = new CopyOnWriteArrayList<>();
    private final List<QueueAppender> appenders = new CopyOnWriteArrayList<>();

    private ChronicleQueueWriteTarget(Path directory, FsyncMode fsync) {
        this.directory = directory;
        this.fsync = fsync;
        this.forcer = PeriodicForcer.of(fsync);
    }

    /** Queues under {@code directory}, one sub-directory per writer. */
    public static ChronicleQueueWriteTarget open(Path directory, FsyncMode fsync) {
        // Before any Chronicle class loads: no usage reporting over the network (the build leaves
        // the analytics library out too) and no Chronicle banner in the benchmark's output.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        return new ChronicleQueueWriteTarget(directory, fsync);
    }

    /**
     * Writer {@code writerIndex}'s queue under {@code directory}, created or reopened: the read
     * comparison tails what this target wrote through the same builder settings.
     */
    public static SingleChronicleQueue openQueue(Path directory, int writerIndex, FsyncMode fsync) {
        return SingleChronicleQueueBuilder
                .binary(directory.resolve(WalrusWriteTarget.topicOf(writerIndex)))
                // Daily files: a run never rolls, as a Walrus run rarely fills a data file.
                .rollCycle(RollCycles.FAST_DAILY)
                .syncMode(fsync.kind() == FsyncMode.Kind.NONE ? SyncMode.NONE : SyncMode.SYNC)
                .build();
    }

    @Override
    public String name() {
        return "chronicle";
    }

    @Override
    public Appender appender(int writerIndex) {
        SingleChronicleQueue queue = openQueue(directory, writerIndex, fsync);
        queues.add(queue);
        ExcerptAppender appender = queue.createAppender();
        // Created here, used by the writer thread: hand the appender over.
        appender.singleThreadedCheckReset();
        QueueAppender queueAppender = new QueueAppender(appender, fsync.kind() == FsyncMode.Kind.SYNC_EACH);
        appenders.add(queueAppender);
        forcer.register(queueAppender::requestSync);
        return queueAppender;
    }

    /** Syncs every queue once more and closes it; the writers have stopped, so this thread may. */
    @Override
    public void close() throws IOException {
        IOException failure = forcer.stop();
        for (QueueAppender appender : appenders) {
            try {
                appender.appender.singleThreadedCheckReset();
                appender.appender.sync();
                appender.appender.close();
            } catch (RuntimeException e) {
                failure = PeerFailures.add(failure, new IOException("closing a Chronicle appender failed", e));
            }
        }
        for (SingleChronicleQueue queue : queues) {
            queue.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class QueueAppender implements Appender {
        private final ExcerptAppender appender;
        private final boolean syncEach;
        /** Set by the interval's thread; the writer syncs and clears it. */
        private volatile boolean syncDue;

        QueueAppender(ExcerptAppender appender, boolean syncEach) {
            this.appender = appender;
            this.syncEach = syncEach;
        }

        void requestSync() {
            syncDue = true;
        }

        @Override
        public void append(byte[] payload) {
            write(payload);
            syncIfDue();
        }

        @Override
        public void appendBatch(List<byte[]> payloads) {
            for (int i = 0, n = payloads.size(); i < n; i++) {
                write(payloads.get(i));
            }
            syncIfDue();
        }

        private void write(byte[] payload) {
            try (DocumentContext document = appender.writingDocument()) {
                document.wire().bytes().write(payload);
            }
        }

        private void syncIfDue() {
            if (syncEach) {
                appender.sync();
            } else if (syncDue) {
                syncDue = false;
                appender.sync();
            }
        }
    }
}
