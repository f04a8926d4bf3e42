package io.walrus;

import java.io.IOException;

/**
 * A batch append holds the topic: the operation was not performed and may be retried.
 * The equivalent of the original's {@code ErrorKind::WouldBlock}.
 */
public final class TopicBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    public TopicBusyException(String message) {
        super(message);
    }
}
