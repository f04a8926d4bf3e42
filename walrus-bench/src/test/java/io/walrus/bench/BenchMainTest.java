package io.walrus.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMainTest {

    @Test
    void badRoundsIsOneLineNamingTheVariableAndExitTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = BenchMain.run(new String[] {"writes"}, Map.of("BENCH_ROUNDS", "zero"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(BenchMain.USAGE, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("walrus-bench: BENCH_ROUNDS=\"zero\" is not valid: expected a whole number from 1 to 100"
                + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badScalingThreadsIsOneLineNamingTheVariableAndExitTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = BenchMain.run(new String[] {"scaling"}, Map.of("THREADS", "4-1"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(BenchMain.USAGE, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("walrus-bench: THREADS=\"4-1\" is not valid: expected N (1, 2, 4, ... up to N) or A-B"
                + " (every count from A to B), with 1 <= A <= B <= 1024"
                + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readAbWithoutABaselineIsOneLineNamingTheVariableAndExitTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(new String[]{"read-ab"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(BenchMain.USAGE, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("walrus-bench: BASELINE_JAR="), message);
        assertTrue(message.contains("BASELINE_REV"), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void readsStillTakesThreadsAsOneNumber() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = BenchMain.run(new String[] {"reads"}, Map.of("THREADS", "1-4"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(BenchMain.USAGE, status);
        assertEquals("walrus-bench: THREADS=\"1-4\" is not valid: expected a whole number from 1 to 1024"
                + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }
}
