package io.walrus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of an open instance, from {@link Walrus#stats()}. Each number was read at some moment
 * during the call; with writers running, they need not all be from the same one.
 *
 * @param directory  the instance directory
 * @param files      data files open (each preallocated to {@code blockSize × blocksPerFile})
 * @param blocks     blocks handed out to topics across those files
 * @param fsyncs     fdatasync calls on data files since the instance was opened (group commit,
 *                   periodic flushes and close; a flush that found a file clean does not count)
 * @param fsyncTime  the time those calls took, summed
 * @param maxFsync   the longest of them
 * @param topics     every topic, by name
 */
public record WalrusStats(Path directory, int files, long blocks, long fsyncs, Duration fsyncTime, Duration maxFsync,
                          List<TopicStats> topics) {

    public WalrusStats {
        topics = List.copyOf(topics);
    }

    /** The mean time of one fsync, or zero before the first. */
    public Duration meanFsync() {
        return fsyncs == 0 ? Duration.ZERO : fsyncTime.dividedBy(fsyncs);
    }

    /** The topic of that name, if it has been written. */
    public Optional<TopicStats> topic(String name) {
        return topics.stream().filter(t -> t.topic().equals(name)).findFirst();
    }
}
