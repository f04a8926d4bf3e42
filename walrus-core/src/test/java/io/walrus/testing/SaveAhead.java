package io.walrus.testing;

import java.io.IOException;

/**
 * Opens an instance with the {@code walrus.cursor.saveAhead} property set for that open only (it is
 * read at open), so a test reaches the background cursor save whatever the machine's pace.
 */
public final class SaveAhead {
    public static final String PROPERTY = "walrus.cursor.saveAhead";

    /** Opens something that must be opened with the property set. */
    @FunctionalInterface
    public interface Opener<T> {
        T open() throws IOException;
    }

    private SaveAhead() {
    }

    /** {@code opener}'s instance, opened with every atLeastOnce(n) cursor saved ahead at n/2. */
    public static <T> T always(Opener<T> opener) throws IOException {
        return with("always", opener);
    }

    public static synchronized <T> T with(String value, Opener<T> opener) throws IOException {
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, value);
        try {
            return opener.open();
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }
}
