package io.walrus.log;

import io.walrus.format.RetentionManifest;
import io.walrus.jfr.DeletionEvent;
import io.walrus.retention.RetentionStore;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Deletes data files whose entries every consumer that counts has checkpointed durably, from a
 * background thread, without taking any lock an append or a read takes.
 *
 * <h2>Which consumers count</h2>
 * For each topic: every named consumer (one that never read the topic counts at the topic's first
 * retained entry, so it holds everything back until it reads), and the default consumer once it
 * has checkpointed the topic at least once (a cursor file found at open, or a checkpoint since). A
 * topic no consumer counts for keeps everything: an application that never checkpoints loses
 * nothing. A consumer counts at the position a crash would resume it from (its persisted cursor),
 * so entries peeked, or checkpointed under {@code atLeastOnce(n)} but not yet persisted, are not
 * consumed. A default consumer that does not count reads, when it starts, from the first entry
 * still retained.
 *
 * <h2>One pass</h2>
 * <ol>
 *   <li>Each topic drops from the front of its chain the sealed blocks that end at or before its
 *       floor (the lowest position over the consumers that count); each dropped block is released
 *       in its file. Readers find their block gone by its number ({@link TopicChain}).</li>
 *   <li>Files no block will be handed out from again, whose every block is released, are deleted:
 *       first the {@code RETENTION} file is rewritten with every topic's new start, durably; then
 *       each file is retired (no new pins; its channel closes when the last read in flight lets go)
 *       and unlinked, and the directory is fsynced.</li>
 * </ol>
 * A crash before the {@code RETENTION} rename leaves the old floors: the files are still there and
 * whole, and are found again. A crash after it, before the unlink is durable, leaves files whose
 * blocks are all below their topics' floors: recovery skips those blocks and the next pass deletes
 * the files again.
 */
final class FileReclaimer implements AutoCloseable {
    private final Path directory;
    private final Collection<Topic> topics;
    private final ConsumerRegistry consumers;
    private final LogResources resources;
    private final RetentionStore retention;
    private final long intervalNanos;
    private final Object passLock = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean failed;

    FileReclaimer(Path directory, Collection<Topic> topics, ConsumerRegistry consumers, LogResources resources,
                  long intervalMillis) {
        this.directory = directory;
        this.topics = topics;
        this.consumers = consumers;
        this.resources = resources;
        this.retention = new RetentionStore(directory);
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = intervalMillis <= 0 ? null
                : Thread.ofPlatform().daemon().name("walrus-reclaimer-" + directory.getFileName()).start(this::run);
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(this, intervalNanos);
            if (!running) {
                return;
            }
            try {
                reclaim();
            } catch (IOException | RuntimeException e) {
                resources.logger.log(Level.ERROR, "deleting consumed files of {0} failed; deletion stops until the "
                        + "instance is reopened: {1}", directory, e.toString());
                return;
            }
        }
    }

    /**
     * One pass; returns the number of files deleted. Passes run one at a time; none runs once the
     * instance is closed or has failed (after an I/O failure nothing is deleted until a reopen has
     * recovered what is on disk).
     */
    int reclaim() throws IOException {
        return pass(this::releaseConsumedBlocks);
    }

    /**
     * One pass with the floors given instead of the consumers' ({@code floors}: per topic, the
     * sequence before which every entry may go; topics not in it keep everything).
     */
    int reclaimBelow(Map<String, Long> floors) throws IOException {
        return pass(() -> {
            for (Topic topic : topics) {
                Long floor = floors.get(topic.name);
                if (floor != null) {
                    for (Block block : topic.dropConsumed(floor)) {
                        block.file.release(1);
                    }
                }
            }
        });
    }

    private int pass(Runnable releaseBlocks) throws IOException {
        synchronized (passLock) {
            if (failed) {
                throw new IOException("deleting consumed files of " + directory + " failed earlier; it stays off "
                        + "until the instance is reopened");
            }
            if (!running || resources.closed() || resources.health.failed()) {
                return 0;
            }
            try {
                releaseBlocks.run();
                List<LogFile> files = resources.allocator.reclaimable();
                if (files.isEmpty()) {
                    return 0;
                }
                retention.save(floors());
                for (LogFile file : files) {
                    delete(file);
                }
                Directories.sync(directory);
                resources.seals.compact(recordedBlocks());
                return files.size();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
    }

    private void releaseConsumedBlocks() {
        boolean noNamedConsumers = consumers.isEmpty();
        for (Topic topic : topics) {
            boolean defaultCounts = topic.reader.checkpointed();
            if (noNamedConsumers && !defaultCounts) {
                continue; // nobody has consumed anything of it
            }
            long floor = consumers.lowestCheckpointedSequence(topic,
                    defaultCounts ? topic.reader.savedSequence() : Long.MAX_VALUE);
            for (Block block : topic.dropConsumed(floor)) {
                block.file.release(1);
            }
        }
    }

    /** Every topic's start, for those that no longer start at entry 0 of block 0. */
    private Map<String, RetentionManifest.Floor> floors() {
        Map<String, RetentionManifest.Floor> floors = new HashMap<>();
        for (Topic topic : topics) {
            TopicChain chain = topic.snapshot();
            if (chain.floorSequence() > 0 || chain.floorBlockSeq() > 0) {
                floors.put(topic.name, new RetentionManifest.Floor(chain.floorSequence(), chain.floorBlockSeq()));
            }
        }
        return floors;
    }

    /** The sealed blocks still in chains that the SEALS file has records of: what a compaction keeps. */
    private List<Block> recordedBlocks() {
        List<Block> recorded = new java.util.ArrayList<>();
        for (Topic topic : topics) {
            for (Block block : topic.chain()) {
                if (block.recorded) {
                    recorded.add(block);
                }
            }
        }
        return recorded;
    }

    private void delete(LogFile file) throws IOException {
        DeletionEvent event = new DeletionEvent();
        event.begin();
        resources.allocator.forget(file);
        file.retire();
        Path path = file.io.path();
        long bytes = file.header.fileLength();
        // Unlinking a file a read still holds open is fine on Linux: its data stays until the last close.
        Files.deleteIfExists(path);
        resources.logger.log(Level.DEBUG, "deleted {0}: every entry in it was consumed", path);
        if (event.shouldCommit()) {
            event.directory = directory.toString();
            event.file = path.getFileName().toString();
            event.blocks = file.header.blockCount();
            event.bytes = bytes;
            event.commit();
        }
    }

    /** Stops the background thread, waiting out a pass in progress. */
    @Override
    public void close() {
        running = false;
        if (thread == null) {
            return;
        }
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
