/**
 * Reading an instance directory without opening it: the files, blocks and topics in it, every
 * entry verified, and a topic followed as another process writes to it. Nothing here writes: no
 * lock is taken, no cursor moves, no recovery decision is written down. That is what makes it safe
 * beside a live writer in another process: the format verifies itself (every entry carries a
 * checksum under its block's random nonce), so a reader that only counts verified entries never
 * mistakes a half-written one for data. It is what {@code walrus-cli} is built on.
 *
 * <p>Start at {@link io.walrus.inspect.LogInspector}.
 */
package io.walrus.inspect;
