package io.walrus.bench.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileLanesTest {

    @Test
    void unsetLeavesWalrusItsOwnDefault() {
        assertEquals(OptionalInt.empty(), FileLanes.fromEnvironment(Map.of()));
        assertEquals(OptionalInt.empty(), FileLanes.fromEnvironment(Map.of("FILE_LANES", " ")));
    }

    @Test
    void aLaneCountFromOneTo64IsTaken() {
        assertEquals(OptionalInt.of(1), FileLanes.fromEnvironment(Map.of("FILE_LANES", "1")));
        assertEquals(OptionalInt.of(64), FileLanes.fromEnvironment(Map.of("FILE_LANES", " 64 ")));
    }

    @Test
    void anythingElseIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"0", "65", "four"}) {
            InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                    () -> FileLanes.fromEnvironment(Map.of("FILE_LANES", bad)));
            assertEquals("FILE_LANES=\"" + bad + "\" is not valid: expected a whole number from 1 to 64 "
                    + "(data files filled at once)", refused.getMessage());
        }
    }
}
