package io.walrus.sync;

/**
 * Dirty files kept in lanes, each lane filled by its own writers: a flush of one lane makes that
 * lane's writes durable without waiting for, or forcing, another lane's files.
 */
public interface LanedFiles extends DirtyFiles {
    int lanes();

    /** The files of {@code lane}, 0 to {@link #lanes()} - 1; their flush forces no other lane's. */
    DirtyFiles lane(int lane);

    /** One lane holding every file of {@code files}. */
    static LanedFiles single(DirtyFiles files) {
        return new LanedFiles() {
            @Override
            public int lanes() {
                return 1;
            }

            @Override
            public DirtyFiles lane(int lane) {
                if (lane != 0) {
                    throw new IllegalArgumentException("no lane " + lane + "; there is one");
                }
                return files;
            }

            @Override
            public void flush() throws java.io.IOException {
                files.flush();
            }
        };
    }
}
