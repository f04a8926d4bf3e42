package io.walrus.storage.uring;

import java.io.IOException;

/** An io_uring operation or system call the kernel failed, with its errno. */
final class UringException extends IOException {
    private final int errno;

    UringException(String operation, int errno) {
        super(operation + " failed: " + Libc.describe(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
