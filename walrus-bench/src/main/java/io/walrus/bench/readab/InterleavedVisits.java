package io.walrus.bench.readab;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The child JVM of {@link ReadAbBenchmark}: two builds of Walrus side by side in one JVM, each in a
 * class loader of its own over its own jar (with this jar behind it, for {@link VisitPass} where the
 * build has none) and its own copy of the same log, and their passes interleaved (A B, B A, A B...),
 * so whatever else the machine does at a moment weighs on both alike. Prints a progress line every
 * tenth pass and, last, {@code RESULT medianA medianB medianRatio lowerQuartile upperQuartile}: the
 * ratio is A's time over B's, pass pair by pass pair, after a quarter of the passes as warm-up.
 */
public final class InterleavedVisits {
    private InterleavedVisits() {
    }

    /** Arguments: jarA jarB directoryPrefix backend entries persistEvery work passes. */
    public static void main(String[] args) throws Exception {
        double[] result = compare(Path.of(args[0]), Path.of(args[1]), args[2], args[3], Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]), System.out);
        System.out.printf(Locale.ROOT, "RESULT %.2f %.2f %.4f %.4f %.4f%n", result[0], result[1], result[2], result[3],
                result[4]);
    }

    /**
     * Runs the passes, logs under {@code prefix + "a"} and {@code prefix + "b"}; returns A's and B's
     * median nanoseconds per entry and the quartiles (median, lower, upper) of A's time over B's.
     */
    static double[] compare(Path jarA, Path jarB, String prefix, String backend, int entries, int persistEvery,
                            int work, int passes, PrintStream progress) throws Exception {
        Path[] jars = {jarA, jarB};
        URL self = InterleavedVisits.class.getProtectionDomain().getCodeSource().getLocation();
        Method[] pass = new Method[2];
        Method[] close = new Method[2];
        double[][] nanos = new double[2][passes];
        try {
            for (int i = 0; i < 2; i++) {
                ClassLoader loader = new URLClassLoader(new URL[]{jars[i].toUri().toURL(), self},
                        ClassLoader.getPlatformClassLoader());
                Class<?> side = loader.loadClass(VisitPass.class.getName());
                side.getMethod("open", String.class, String.class, int.class, int.class, int.class)
                        .invoke(null, prefix + (i == 0 ? "a" : "b"), backend, entries, persistEvery, work);
                close[i] = side.getMethod("close");
                pass[i] = side.getMethod("pass", int.class);
            }
            for (int p = 0; p < passes; p++) {
                for (int k = 0; k < 2; k++) {
                    int i = p % 2 == 0 ? k : 1 - k;
                    nanos[i][p] = (double) pass[i].invoke(null, entries);
                }
                if ((p + 1) % 10 == 0) {
                    progress.printf(Locale.ROOT, "pass %d/%d: A %.1f ns/entry, B %.1f ns/entry%n", p + 1, passes,
                            nanos[0][p], nanos[1][p]);
                }
            }
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            for (Method m : close) {
                if (m != null) {
                    m.invoke(null);
                }
            }
        }
        int warm = passes / 4;
        double[] ratios = new double[passes - warm];
        for (int p = warm; p < passes; p++) {
            ratios[p - warm] = nanos[0][p] / nanos[1][p];
        }
        return new double[]{median(nanos[0], warm), median(nanos[1], warm), quantile(ratios, 0.5),
                quantile(ratios, 0.25), quantile(ratios, 0.75)};
    }

    private static double median(double[] values, int from) {
        return quantile(Arrays.copyOfRange(values, from, values.length), 0.5);
    }

    /** The {@code q} quantile of {@code values}, interpolated between the two nearest (the median of two is their mean). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
    }
}
