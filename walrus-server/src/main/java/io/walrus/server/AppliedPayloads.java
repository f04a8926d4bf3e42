package io.walrus.server;

import io.walrus.Entry;
import io.walrus.Walrus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a topic's applied entries from a node's Walrus instance by their logical sequence (the same
 * on every node), skipping the dead ones and taking each payload out of its {@link PayloadTag}.
 */
final class AppliedPayloads {
    private AppliedPayloads() {
    }

    /**
     * Up to {@code maxEntries} payloads from the entry numbered {@code from}, until their bytes would
     * exceed {@code maxBytes} (at least one), as the embedded {@link Walrus#readFrom} counts them: the
     * tags are not counted. The caller asks only for applied entries.
     */
    static List<byte[]> read(Walrus walrus, String topic, DeadEntries dead, long from, long maxBytes, int maxEntries)
            throws IOException {
        long[] runs = dead.runs(from, maxEntries);
        List<byte[]> payloads = new ArrayList<>(Math.min(maxEntries, 256));
        long bytes = 0;
        for (int r = 0; r < runs.length; r += 2) {
            long physical = runs[r];
            long left = runs[r + 1];
            while (left > 0) {
                int ask = (int) Math.min(left, Walrus.MAX_BATCH_ENTRIES);
                // Walrus counts the tags; asking for that much more never returns fewer entries than fit.
                long remaining = maxBytes - bytes;
                long tags = (long) ask * PayloadTag.BYTES;
                long cap = remaining > Long.MAX_VALUE - tags ? Long.MAX_VALUE : remaining + tags;
                List<Entry> page = walrus.readFrom(topic, physical, cap, ask);
                if (page.isEmpty()) {
                    throw new IOException("topic '" + topic + "' has no entry at " + physical + " in " + walrus.directory()
                            + ", where its applied entry " + (from + payloads.size()) + " should be");
                }
                for (Entry entry : page) {
                    long size = entry.data().length - PayloadTag.BYTES;
                    if (!payloads.isEmpty() && bytes + size > maxBytes) {
                        return payloads;
                    }
                    payloads.add(PayloadTag.payload(entry.data()));
                    bytes += size;
                }
                physical += page.size();
                left -= page.size();
            }
        }
        return payloads;
    }
}
