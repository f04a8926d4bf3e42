package io.walrus.log;

import java.util.ResourceBundle;

/** The library's {@link System.Logger}, silent when {@code WALRUS_QUIET} is set to anything but 0 or empty. */
public final class Loggers {
    private static final boolean QUIET = quiet(System.getenv("WALRUS_QUIET"));

    private Loggers() {
    }

    public static System.Logger get(Class<?> owner) {
        return QUIET ? Silent.INSTANCE : System.getLogger(owner.getName());
    }

    static boolean quiet(String value) {
        return value != null && !value.isEmpty() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    private enum Silent implements System.Logger {
        INSTANCE;

        @Override
        public String getName() {
            return "io.walrus (quiet)";
        }

        @Override
        public boolean isLoggable(Level level) {
            return false;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }
    }
}
