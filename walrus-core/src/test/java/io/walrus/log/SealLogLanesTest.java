package io.walrus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.walrus.format.FileHeader;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lane's flush forces only that lane's files (and those of no lane), so it may record only the
 * seals of blocks in those files: another lane's sealed block may still hold entries no flush has
 * forced (two writers of one topic: one sealed the block while the other's entry in it waits).
 */
class SealLogLanesTest {
    @TempDir
    Path dir;

    @Test
    void aLanesFlushTakesTheSealsOfItsOwnLaneAndOfNoLaneOnly() {
        SealLog seals = new SealLog(dir, System.getLogger("test"), 0, 2);
        Block lane0 = block(0, 1);
        Block lane1 = block(1, 2);
        Block noLane = block(LogFile.NO_LANE, 3);
        seals.sealed(lane0);
        seals.sealed(lane1);
        seals.sealed(noLane);

        assertEquals(List.of(noLane, lane0), seals.takePending(0));
        assertEquals(List.of(), seals.takePending(0), "taken once");
        seals.sealed(lane0);
        assertEquals(List.of(lane0, lane1), seals.takePending(), "a flush of every file takes every lane's");
    }

    private static Block block(int lane, long fileSequence) {
        LogFile file = new LogFile(null, FileHeader.create(LogFixture.BLOCK, 4, fileSequence), 1);
        file.assignLane(lane);
        return new Block(file, 0, 0, LogFixture.BLOCK, 64, fileSequence, 0, 0);
    }
}
