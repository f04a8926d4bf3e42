package io.walrus.client;

import java.util.List;

/**
 * How far a client's writes had gone: per Raft group of the cluster, the log index of the last write
 * it completed there (0 where it wrote nothing). Log indexes are per group, so a mark has one for
 * each; from {@link WalrusClient#lastWrites()}, for waiting until every node holds those writes.
 *
 * @param indexes one log index per group, in the order of the cluster's {@link GroupLayout}
 */
public record WriteMark(List<Long> indexes) {
    public WriteMark {
        indexes = List.copyOf(indexes);
    }

    /** The log index for group {@code group}. */
    public long index(int group) {
        return indexes.get(group);
    }
}
