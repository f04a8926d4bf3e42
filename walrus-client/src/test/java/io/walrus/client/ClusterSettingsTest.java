package io.walrus.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSettingsTest {

    @Test
    void anEntryAboveTheClusterLimitIsRefusedNamingBothLimits() {
        assertDoesNotThrow(() -> ClusterSettings.checkEntrySize(new byte[ClusterSettings.MAX_ENTRY_BYTES], "data"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.checkEntrySize(new byte[ClusterSettings.MAX_ENTRY_BYTES + 1], "data"));
        assertTrue(e.getMessage().contains("data has 4194305 bytes; a cluster takes entries of at most 4194304 bytes"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the embedded Walrus takes up to 67108864"), e.getMessage());
    }

    @Test
    void aBatchIsRefusedForAnEntryAboveTheLimitOrForItsWholeSize() {
        byte[][] oneTooBig = {new byte[10], new byte[ClusterSettings.MAX_ENTRY_BYTES + 1]};
        IllegalArgumentException entry = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.checkBatchSize(oneTooBig));
        assertTrue(entry.getMessage().startsWith("entry 1 of the batch has"), entry.getMessage());

        byte[][] tooMuch = new byte[2][];
        tooMuch[0] = new byte[ClusterSettings.MAX_ENTRY_BYTES];
        tooMuch[1] = new byte[ClusterSettings.MAX_MESSAGE_BYTES - ClusterSettings.MAX_ENTRY_BYTES];
        IllegalArgumentException whole = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.checkBatchSize(tooMuch));
        assertTrue(whole.getMessage().contains("a cluster takes at most " + ClusterSettings.MAX_MESSAGE_BYTES
                + " in one batch"), whole.getMessage());

        byte[][] fits = {new byte[ClusterSettings.MAX_ENTRY_BYTES], new byte[1000]};
        assertDoesNotThrow(() -> ClusterSettings.checkBatchSize(fits));
    }
}
