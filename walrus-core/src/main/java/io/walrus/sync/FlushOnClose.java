package io.walrus.sync;

import java.io.IOException;

/**
 * No fsync while running, unless asked ({@link #flushNow()}): the operating system writes back when
 * it likes; close flushes everything.
 */
final class FlushOnClose implements FlushPolicy {
    private final DirtyFiles files;

    FlushOnClose(DirtyFiles files) {
        this.files = files;
    }

    @Override
    public void afterWrite() {
        // The OS decides.
    }

    @Override
    public void flushNow() throws IOException {
        files.flush();
    }

    @Override
    public void close() throws IOException {
        files.flush();
    }
}
