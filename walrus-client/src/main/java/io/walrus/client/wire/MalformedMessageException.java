package io.walrus.client.wire;

/** Bytes that are not a message of the wire format: a version mismatch, damage, or not ours. */
public final class MalformedMessageException extends IllegalArgumentException {
    public MalformedMessageException(String message) {
        super("malformed Walrus cluster message: " + message);
    }
}
