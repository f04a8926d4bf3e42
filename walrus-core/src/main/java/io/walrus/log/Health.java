package io.walrus.log;

import java.io.IOException;

/**
 * Fail-stop: the first I/O failure of a write or flush is kept, and from then on the instance
 * refuses writes. After a failed write or fsync nobody knows what reached the disk; only reopening
 * (which recovers what is really there) tells.
 */
final class Health {
    private volatile IOException failure;

    void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    boolean failed() {
        return failure != null;
    }

    void checkWritable() throws IOException {
        IOException cause = failure;
        if (cause != null) {
            throw new IOException("this Walrus instance stopped taking writes after an I/O failure ("
                    + cause.getMessage() + "); close and reopen it to recover what is on disk", cause);
        }
    }
}
