package io.walrus.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the tool as {@code bin/walrus} does (the same picocli entry point), with its output captured. */
final class Cli {
    /** What one run printed, and its exit status. */
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private Cli() {
    }

    static Run run(String... args) {
        return run(new byte[0], args);
    }

    static Run run(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(new ByteArrayInputStream(stdin), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs with stdout going to {@code out}, e.g. one that hands lines to a test as they come. */
    static int execute(InputStream in, Writer out, Writer err, String... args) {
        return WalrusCli.commandLine(in, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    static String[] args(Path dir, String command, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.add(dir.toString());
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
