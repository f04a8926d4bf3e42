package io.walrus.bench.readcompare;

/**
 * The heap bytes of what a read hands out, on a 64-bit JVM with compressed class pointers and
 * oops (the default below 32 GiB of heap): a 12-byte object header, fields, padded to 8 bytes;
 * an array has a 16-byte header. Used to tell the bytes a read must allocate (the returned entry)
 * from the bytes its path allocates on the way.
 */
final class EntryFootprint {
    static final int OBJECT_ALIGNMENT = 8;
    static final int ARRAY_HEADER_BYTES = 16;
    /** {@code io.walrus.Entry}: a header and one reference. */
    static final int ENTRY_BYTES = 16;
    /** {@code java.util.Optional}: a header and one reference. */
    static final int OPTIONAL_BYTES = 16;

    private EntryFootprint() {
    }

    /** A {@code byte[length]}. */
    static long byteArray(int length) {
        return align(ARRAY_HEADER_BYTES + (long) length);
    }

    /**
     * What {@code readNext} returns: an {@code Optional} of an {@code Entry} of a {@code byte[length]}.
     * Where the caller unwraps the {@code Optional} at once the JIT may remove it (escape analysis),
     * and the row's "extra" then comes out 16 bytes below zero.
     */
    static long readNextResult(int length) {
        return OPTIONAL_BYTES + ENTRY_BYTES + byteArray(length);
    }

    /** One entry of a batch read: an {@code Entry} and its {@code byte[length]} (the list is counted apart). */
    static long batchEntry(int length) {
        return ENTRY_BYTES + byteArray(length);
    }

    /** The list a batch read of {@code entries} returns: an {@code ArrayList} and its array, sized exactly. */
    static long batchList(int entries) {
        return 24 + align(ARRAY_HEADER_BYTES + 4L * entries);
    }

    private static long align(long bytes) {
        return (bytes + OBJECT_ALIGNMENT - 1) / OBJECT_ALIGNMENT * OBJECT_ALIGNMENT;
    }
}
