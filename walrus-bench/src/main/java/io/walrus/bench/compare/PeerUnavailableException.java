package io.walrus.bench.compare;

import java.io.IOException;

/** A contender that could not be loaded or opened here: the comparison goes on without it. */
final class PeerUnavailableException extends IOException {
    PeerUnavailableException(Throwable cause) {
        super(ComparisonFailures.reason(cause), cause);
    }
}
