package io.walrus;

/**
 * Where a new named consumer starts reading (see {@link Walrus#consumer(String, StartPosition)}). It
 * only matters when the consumer is created: an existing consumer always resumes at its cursors.
 */
public enum StartPosition {
    /** Every topic from its earliest retained entry. */
    EARLIEST,
    /**
     * Every topic that exists at creation from its tail: only entries committed after the consumer was
     * created are read. Topics created later are read from their first entry.
     */
    LATEST
}
