package io.walrus.bench.readab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walrus.Walrus;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness under bench-read-ab: two separate copies of Walrus in one JVM, each reading every entry
 * of its own log on every pass (a pass that reads fewer or more throws), with progress and a result.
 */
class InterleavedVisitsTest {
    @TempDir
    Path dir;

    @Test
    void eachBuildReadsEveryEntryOfItsOwnLogOnEveryPass() throws Exception {
        Path walrus = Path.of(Walrus.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        double[] result = InterleavedVisits.compare(walrus, walrus, dir.resolve("log-").toString(), "MMAP", 3_000, 7, 5,
                10, new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(5, result.length);
        for (double value : result) {
            assertTrue(value > 0 && Double.isFinite(value), "a time or ratio: " + value);
        }
        assertTrue(result[3] <= result[2] && result[2] <= result[4], "quartiles in order");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("pass 10/10: A "), progress.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachSideLoadsWalrusOfItsOwn() throws Exception {
        URL walrus = Walrus.class.getProtectionDomain().getCodeSource().getLocation();
        URL self = VisitPass.class.getProtectionDomain().getCodeSource().getLocation();
        Class<?> a = new URLClassLoader(new URL[]{walrus, self}, ClassLoader.getPlatformClassLoader()).loadClass("io.walrus.Walrus");
        Class<?> b = new URLClassLoader(new URL[]{walrus, self}, ClassLoader.getPlatformClassLoader()).loadClass("io.walrus.Walrus");
        assertNotSame(a, b, "one Walrus class per side: static state and JIT profiles apart");
        assertNotSame(Walrus.class, a);
    }

    @Test
    void quantilesInterpolate() {
        assertEquals(1.5, InterleavedVisits.quantile(new double[]{2, 1}, 0.5), 1e-12);
        assertEquals(2.0, InterleavedVisits.quantile(new double[]{3, 1, 2}, 0.5), 1e-12);
        assertEquals(1.0, InterleavedVisits.quantile(new double[]{3, 1, 2}, 0), 1e-12);
    }
}
