/**
 * Walrus for Java: a write-ahead log of topics, each its own append and read stream.
 * {@code io.walrus} is the API; {@code io.walrus.inspect} reads an instance directory without
 * changing it, for tools such as {@code walrus-cli}. Everything else is the engine behind them.
 */
module io.walrus {
    requires jdk.jfr;

    exports io.walrus;
    exports io.walrus.inspect;
}
