package io.walrus.bench.target;

import java.io.IOException;

/** Collects the failures of closing several resources, so one failed close does not hide the others. */
final class PeerFailures {
    private PeerFailures() {
    }

    /** {@code failure} with {@code next} added: the first failure stays the one thrown. */
    static IOException add(IOException failure, IOException next) {
        if (failure == null) {
            return next;
        }
        failure.addSuppressed(next);
        return failure;
    }
}
