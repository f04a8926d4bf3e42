package io.walrus.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.format.RetentionManifest.Floor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RetentionManifestTest {
    @Test
    void floorsSurviveARoundTrip() {
        Map<String, Floor> floors = new LinkedHashMap<>();
        floors.put("orders", new Floor(1_000_000_000_000L, 7));
        floors.put("é/ü topic", new Floor(0, 3));
        assertEquals(floors, RetentionManifest.decode(RetentionManifest.encode(floors)).orElseThrow());
        assertEquals(Map.of(), RetentionManifest.decode(RetentionManifest.encode(Map.of())).orElseThrow());
    }

    @Test
    void anyFlippedBitOrMissingByteIsRefused() {
        byte[] bytes = RetentionManifest.encode(Map.of("orders", new Floor(42, 2), "audit", new Floor(9, 1)));
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] damaged = bytes.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(RetentionManifest.decode(damaged).isEmpty(), "bit " + bit);
        }
        for (int length = 0; length < bytes.length; length++) {
            assertTrue(RetentionManifest.decode(Arrays.copyOf(bytes, length)).isEmpty(), "cut to " + length);
        }
    }
}
