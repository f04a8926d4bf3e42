package io.walrus.sync;

import java.io.IOException;

/** No fsync while running: the operating system writes back when it likes; close flushes everything. */
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
    public void close() throws IOException {
        files.flush();
    }
}
