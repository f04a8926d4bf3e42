package io.walrus.bench.compare;

/** Turns a contender's failure into the one line the table shows for it. */
public final class ComparisonFailures {
    /** Longer reasons are cut: the table is for reading, the stack trace is printed above it. */
    static final int MAX_REASON_CHARS = 160;

    private ComparisonFailures() {
    }

    /**
     * {@code UnsatisfiedLinkError: no rocksdbjni in java.library.path}: the innermost cause's class
     * and the first line of its message, which is where a library that cannot load says why.
     */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = root.getClass().getSimpleName();
        if (message != null && !message.isBlank()) {
            text += ": " + message.strip().lines().findFirst().orElse("");
        }
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
}
