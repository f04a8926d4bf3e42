package io.walrus.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A subject and its baseline compared over one or more rounds, each round one phase of each. One
 * round prints the single line it always has; more print each round's ratio and then the ratio of
 * everything each target wrote, which is the figure to quote: the spread between rounds says how
 * much of any single ratio was the machine rather than the target.
 */
public final class RoundComparison {
    private final List<PhaseSummary> subjects = new ArrayList<>();
    private final List<PhaseSummary> baselines = new ArrayList<>();
    private final List<Boolean> subjectFirst = new ArrayList<>();

    /** Adds a round, in order; {@code subjectWentFirst} says which of the two ran first in it. */
    public void add(PhaseSummary subject, PhaseSummary baseline, boolean subjectWentFirst) {
        subjects.add(subject);
        baselines.add(baseline);
        subjectFirst.add(subjectWentFirst);
    }

    public int rounds() {
        return subjects.size();
    }

    public void print(PrintStream out) {
        if (rounds() == 1) {
            out.println(PhaseSummary.compare(subjects.getFirst(), baselines.getFirst()));
            return;
        }
        for (int round = 0; round < rounds(); round++) {
            PhaseSummary first = subjectFirst.get(round) ? subjects.get(round) : baselines.get(round);
            out.println("round " + (round + 1) + " (" + first.label() + " first): "
                    + PhaseSummary.compare(subjects.get(round), baselines.get(round)));
        }
        out.println(overall());
    }

    /**
     * {@code walrus/filechannel = 0.93x writes/s over 2 rounds: 4,100,000 vs 4,400,000 writes in
     * 10.00 s vs 10.00 s (rounds 0.91x to 0.95x)}. Summed writes over summed time, not a mean of the
     * ratios: a phase that ran a little long (a writer stuck in a force at the deadline) then
     * counts for exactly the time it ran.
     */
    String overall() {
        Totals subject = Totals.of(subjects);
        Totals baseline = Totals.of(baselines);
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (int round = 0; round < rounds(); round++) {
            double ratio = ratio(subjects.get(round), baselines.get(round));
            lowest = Math.min(lowest, ratio);
            highest = Math.max(highest, ratio);
        }
        return String.format(Locale.ROOT,
                "%s/%s = %.2fx writes/s over %d rounds: %,d vs %,d writes in %.2f s vs %.2f s (rounds %.2fx to %.2fx)",
                subjects.getFirst().label(), baselines.getFirst().label(), subject.rate() / baseline.rate(), rounds(),
                subject.writes(), baseline.writes(), subject.seconds(), baseline.seconds(), lowest, highest);
    }

    private static double ratio(PhaseSummary subject, PhaseSummary baseline) {
        return subject.writesPerSecond() / baseline.writesPerSecond();
    }

    /** One target's writes and time, summed over its rounds. */
    private record Totals(long writes, long elapsedNanos) {
        static Totals of(List<PhaseSummary> phases) {
            long writes = 0;
            long nanos = 0;
            for (PhaseSummary phase : phases) {
                writes += phase.writes();
                nanos += phase.elapsedNanos();
            }
            return new Totals(writes, nanos);
        }

        double seconds() {
            return Math.max(elapsedNanos, 1) / 1e9;
        }

        double rate() {
            return writes / seconds();
        }
    }
}
