package io.walrus.sync;

import java.io.IOException;

/**
 * Sync-each over several file lanes: a {@link GroupCommit} per lane, each flushing only its lane's
 * files, so the flushes of different lanes run side by side. One fdatasync at a time per file is
 * all a file gets (a second queues behind the first), but fdatasyncs of different files overlap in
 * the kernel and share journal commits (2 to 16 writers: 1.2x to 1.6x the appends of one shared
 * lane, BENCHMARKS.md). Within a lane, writers still share each flush.
 *
 * <p>An append is covered by its own lane's flush: its bytes are in that lane's file, marked dirty
 * before it takes its ticket. {@link #flushNow()} and {@link #close()} go through every lane.
 */
final class LaneGroupCommits implements FlushPolicy {
    private final GroupCommit[] lanes;

    LaneGroupCommits(LanedFiles files) {
        lanes = new GroupCommit[files.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new GroupCommit(files.lane(i));
        }
    }

    @Override
    public FlushPolicy lane(int lane) {
        return lanes[lane];
    }

    /** Appends always come through {@link #lane(int)}; lane 0 stands in for a caller that names none. */
    @Override
    public void writeStarting() {
        lanes[0].writeStarting();
    }

    @Override
    public void writeAbandoned() {
        lanes[0].writeAbandoned();
    }

    @Override
    public void afterWrite() throws IOException {
        lanes[0].afterWrite();
    }

    /** Every lane's appends that took a ticket are durable when this returns; the first failure is thrown. */
    @Override
    public void flushNow() throws IOException {
        IOException first = null;
        for (GroupCommit lane : lanes) {
            try {
                lane.flushNow();
            } catch (IOException e) {
                first = keep(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (GroupCommit lane : lanes) {
            try {
                lane.close();
            } catch (IOException e) {
                first = keep(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static IOException keep(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
