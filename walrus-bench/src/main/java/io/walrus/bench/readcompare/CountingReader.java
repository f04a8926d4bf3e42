package io.walrus.bench.readcompare;

/**
 * A {@link ReadTarget.Reader} that keeps the two counts every reader reports: the payload bytes it
 * read and the heap bytes of what it handed to its caller. Plain fields: one thread reads, and the
 * counts are taken after it stopped.
 */
abstract class CountingReader implements ReadTarget.Reader {
    /** Payload bytes read so far. */
    protected long bytes;
    /** Heap bytes of the objects the reads returned (0 for readers that return nothing). */
    protected long returned;

    @Override
    public final long bytes() {
        return bytes;
    }

    @Override
    public final long returnedBytes() {
        return returned;
    }
}
