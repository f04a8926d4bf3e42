package io.walrus.log;

import java.util.Locale;

/**
 * When a consumer's cursor is saved ahead, in the background, under {@code atLeastOnce(n)} (see
 * {@link CursorSaves}): the system property {@value #PROPERTY}, read at open. {@code paced}, the
 * default, saves ahead where that pays (the reader is slower than the disk); {@code always} saves
 * ahead at n/2 whatever the pace (for consumers known to be slow, and for tests of that path);
 * {@code never} always saves in the reader's thread at n, one fdatasync per n checkpoints.
 */
enum CursorSaveAhead {
    PACED, ALWAYS, NEVER;

    static final String PROPERTY = "walrus.cursor.saveAhead";

    /** The property's value, {@link #PACED} when unset. */
    static CursorSaveAhead fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return PACED;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException(PROPERTY + "=" + value + " is not valid: expected paced, always or never");
        }
    }
}
