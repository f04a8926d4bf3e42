package io.walrus.inspect;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link LogInspector#verify()} checked and found.
 *
 * @param directory the instance directory
 * @param files     data files read
 * @param blocks    blocks owned by topics (each header verified)
 * @param topics    topics found
 * @param entries   entries recovery keeps: every one verified, in order, whole batches only
 * @param problems  everything found, damage first
 */
public record VerifyReport(Path directory, int files, long blocks, int topics, long entries, List<Problem> problems) {

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** Whether anything is {@link Problem.Severity#DAMAGE}. */
    public boolean damaged() {
        return problems.stream().anyMatch(p -> p.severity() == Problem.Severity.DAMAGE);
    }
}
