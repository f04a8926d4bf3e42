package io.walrus.torture;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks one topic's entries as read back in order from some starting index: each is exactly what
 * was written (no garbage, no phantom), indices follow one another (order, no gap, no duplicate), and
 * every batch that starts is complete (all or nothing). Collects violations rather than throwing, so a
 * report can name them all.
 */
final class TopicAudit {
    private final String topic;
    private final List<String> violations = new ArrayList<>();
    private long expectedIndex;
    private long openBatchEnd = -1;
    private long count;
    private final long firstIndex;

    /**
     * An audit of {@code topic} expecting {@code firstIndex} first. A log that starts after 0 (its
     * consumed start deleted) may start inside a batch: the rest of that batch is whole.
     */
    TopicAudit(String topic, long firstIndex) {
        this.topic = topic;
        this.expectedIndex = firstIndex;
        this.firstIndex = firstIndex;
    }

    void accept(byte[] payload) {
        TortureEntry entry;
        try {
            entry = TortureEntry.decode(payload);
        } catch (TortureEntry.BadPayload bad) {
            violations.add(topic + ": entry after " + (expectedIndex - 1) + " is not one that was written: " + bad.getMessage());
            expectedIndex++;
            return;
        }
        count++;
        if (!entry.topic().equals(topic)) {
            violations.add(topic + ": holds " + entry + ", an entry of another topic");
        }
        if (entry.index() != expectedIndex) {
            violations.add(topic + ": expected entry " + expectedIndex + " next, found " + entry
                    + (entry.index() < expectedIndex ? " (a duplicate or reordering)" : " (a gap)"));
        }
        boolean startsInsideBatch = count == 1 && entry.index() == firstIndex && entry.batchStart() < firstIndex;
        if (entry.index() == entry.batchStart() || startsInsideBatch) {
            openBatchEnd = entry.batchStart() + entry.batchSize() - 1;
        } else if (openBatchEnd < entry.index()) {
            violations.add(topic + ": " + entry + " appears without the start of its batch");
        }
        expectedIndex = entry.index() + 1;
    }

    /** Call when the topic has no more entries: a batch still open is torn. */
    void end() {
        if (openBatchEnd >= expectedIndex) {
            violations.add(topic + ": the batch ending at " + openBatchEnd + " is torn: the topic ends after entry "
                    + (expectedIndex - 1));
        }
    }

    /** The index the next entry would have: one past the last seen. */
    long nextIndex() {
        return expectedIndex;
    }

    long count() {
        return count;
    }

    List<String> violations() {
        return violations;
    }
}
