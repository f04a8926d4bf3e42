package io.walrus.bench.compare;

import io.walrus.bench.writes.WritePhase;

/**
 * One target of {@code bench-compare}: Walrus or a peer, under the name the table gives it.
 *
 * @param name   the row's name, also the phase's label and CSV name
 * @param opener opens the target in a fresh directory
 */
public record Contender(String name, WritePhase.TargetOpener opener) {
}
