package io.walrus;

/**
 * One entry of a topic, as it was appended.
 *
 * @param data the payload; the array belongs to the caller
 */
public record Entry(byte[] data) {
    public Entry {
        java.util.Objects.requireNonNull(data, "data");
    }
}
