package io.walrus.sync;

import java.io.IOException;

/** What a flush policy flushes: every file written since its last flush. */
@FunctionalInterface
public interface DirtyFiles {
    /** Forces every file written since it was last forced; returns once they are all on stable storage. */
    void flush() throws IOException;
}
