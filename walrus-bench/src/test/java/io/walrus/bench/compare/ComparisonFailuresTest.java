package io.walrus.bench.compare;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ComparisonFailuresTest {

    @Test
    void theReasonIsTheInnermostCauseAndTheFirstLineOfItsMessage() {
        Throwable failure = new IOException("opening failed",
                new UnsatisfiedLinkError("no rocksdbjni in java.library.path\n\tat somewhere"));

        assertEquals("UnsatisfiedLinkError: no rocksdbjni in java.library.path", ComparisonFailures.reason(failure));
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsClass() {
        assertEquals("IllegalStateException", ComparisonFailures.reason(new IllegalStateException()));
    }

    @Test
    void aLongReasonIsCutToFitTheTable() {
        String reason = ComparisonFailures.reason(new IOException("x".repeat(500)));

        assertEquals(ComparisonFailures.MAX_REASON_CHARS, reason.length());
        assertEquals("...", reason.substring(reason.length() - 3));
    }
}
