package io.walrus.log;

import io.walrus.EntryVisitor;

import java.io.IOException;
import java.util.List;

/**
 * The cursors one consumer reads through, one per topic: the default consumer's (the seed's
 * {@code readNext}) or a named consumer's. Every method may throw IllegalStateException once the
 * consumer cannot read any more (a removed named consumer).
 */
interface ReadCursors {
    /** The default consumer: each topic's own reader, whose cursor files live in {@code cursors/}. */
    ReadCursors DEFAULT = new ReadCursors() {
        @Override
        public byte[] readNext(Topic topic, boolean checkpoint) throws IOException {
            return topic.reader.readNext(checkpoint);
        }

        @Override
        public List<byte[]> batchRead(Topic topic, long maxBytes, int maxEntries, boolean checkpoint)
                throws IOException {
            return topic.reader.batchRead(maxBytes, maxEntries, checkpoint);
        }

        @Override
        public int visitBatch(Topic topic, long maxBytes, int maxEntries, boolean checkpoint, EntryVisitor visitor)
                throws IOException {
            return topic.reader.visitBatch(maxBytes, maxEntries, checkpoint, visitor);
        }

        @Override
        public boolean hasReadable(Topic topic) {
            return topic.reader.hasReadable();
        }

        @Override
        public void checkUsable() {
            // the default consumer is usable as long as the instance is open
        }
    };

    /** The next entry's payload at this consumer's cursor, or null. */
    byte[] readNext(Topic topic, boolean checkpoint) throws IOException;

    List<byte[]> batchRead(Topic topic, long maxBytes, int maxEntries, boolean checkpoint) throws IOException;

    /** As {@link #batchRead}, handing the entries to {@code visitor} in place; returns how many. */
    int visitBatch(Topic topic, long maxBytes, int maxEntries, boolean checkpoint, EntryVisitor visitor)
            throws IOException;

    /** Whether an entry is committed at this consumer's cursor. */
    boolean hasReadable(Topic topic);

    /** @throws IllegalStateException when this consumer cannot read any more */
    void checkUsable();
}
