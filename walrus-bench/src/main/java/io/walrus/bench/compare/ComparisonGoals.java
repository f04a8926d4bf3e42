package io.walrus.bench.compare;

import io.walrus.bench.config.FsyncMode;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What Walrus sets out to reach against each peer (issue 7), as the least "walrus lead": Walrus's
 * writes/s over the peer's, in the same run. The plain FileChannel and MappedByteBuffer loops are
 * ceilings to come close to, not peers to beat, and the interval modes have no goal.
 */
final class ComparisonGoals {
    private static final Map<String, Double> NO_FSYNC = Map.of(
            Contenders.CHRONICLE, 1.5,
            Contenders.ROCKSDB, 2.0,
            Contenders.KAFKA, 1.5);
    private static final Map<String, Double> SYNC_EACH = Map.of(
            Contenders.CHRONICLE, 1.0,
            Contenders.ROCKSDB, 1.0,
            Contenders.KAFKA, 1.0);

    private ComparisonGoals() {
    }

    /** The least walrus lead over {@code contender} under {@code fsync}; empty when there is none. */
    static OptionalDouble leadGoal(FsyncMode.Kind fsync, String contender) {
        Map<String, Double> goals = switch (fsync) {
            case NONE -> NO_FSYNC;
            case SYNC_EACH -> SYNC_EACH;
            case INTERVAL -> Map.of();
        };
        Double goal = goals.get(contender);
        return goal == null ? OptionalDouble.empty() : OptionalDouble.of(goal);
    }
}
