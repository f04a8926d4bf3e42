/**
 * Walrus for Java: a write-ahead log of topics, each its own append and read stream.
 * Only {@code io.walrus} is API; everything else is the engine behind it.
 */
module io.walrus {
    exports io.walrus;
}
