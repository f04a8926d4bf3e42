package io.walrus.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
