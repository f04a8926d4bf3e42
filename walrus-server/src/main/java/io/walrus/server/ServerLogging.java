package io.walrus.server;

/**
 * Quiet by default: Ratis logs every election and segment roll at INFO. {@code WALRUS_LOG_LEVEL}
 * (trace, debug, info, warn, error) changes that; {@code WALRUS_QUIET=1} keeps only errors.
 * Set before any logger exists, as slf4j-simple reads its settings once.
 */
final class ServerLogging {
    private ServerLogging() {
    }

    static void configure() {
        String level = System.getenv("WALRUS_LOG_LEVEL");
        if (level == null || level.isEmpty()) {
            level = "1".equals(System.getenv("WALRUS_QUIET")) ? "error" : "warn";
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }
}
