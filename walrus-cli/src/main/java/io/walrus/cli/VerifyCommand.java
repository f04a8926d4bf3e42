package io.walrus.cli;

import io.walrus.inspect.LogInspector;
import io.walrus.inspect.Problem;
import io.walrus.inspect.VerifyReport;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code walrus verify}: checks every checksum and says what is damaged, and where. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks every checksum and says what is damaged, and where.",
            "Reads every file header, block header, entry and cursor file, and",
            "prints each problem with its file, block, offset, topic and entry, and",
            "what recovery would keep.",
            "  DAMAGE  intact entries would be lost, or bytes that must verify do not",
            "  NOTE    what a crash (or a write in progress) leaves, which recovery",
            "          handles by design: a torn last entry, an unfinished batch",
            "Changes nothing; safe while another process has the directory open.",
            "Exit status: 0 nothing damaged (notes allowed), 1 damaged, 2 could not read."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  walrus verify ./wal_files",
            "  walrus verify ./wal_files --json > report.json; echo \"exit $?\"",
            "  walrus verify ./wal_files --quiet || alert 'WAL damaged'",
            ""})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOption directory;

    @Option(names = "--json", description = "print the report as one JSON object")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print nothing; only the exit status tells")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        VerifyReport report;
        try (LogInspector inspector = LogInspector.open(directory.existingInstance())) {
            report = inspector.verify();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(asJson(report)));
        } else if (!quiet) {
            print(out, report);
        }
        out.flush();
        return report.damaged() ? WalrusCli.DAMAGED : WalrusCli.OK;
    }

    private static void print(PrintWriter out, VerifyReport report) {
        out.println("verified " + report.directory() + ": " + report.files() + " data files, " + report.blocks()
                + " blocks, " + report.topics() + " topics; recovery keeps " + report.entries() + " entries");
        for (Problem p : report.problems()) {
            out.println(String.format("%-6s %s", p.severity(), where(p)));
            out.println("       " + p.message());
        }
        long damage = report.problems().stream().filter(p -> p.severity() == Problem.Severity.DAMAGE).count();
        long notes = report.problems().size() - damage;
        out.println(damage > 0 ? "DAMAGED: " + damage + (damage == 1 ? " problem" : " problems")
                + (notes > 0 ? ", " + notes + (notes == 1 ? " note" : " notes") : "")
                : "OK" + (notes > 0 ? " (" + notes + (notes == 1 ? " note" : " notes") + ")" : ""));
    }

    /** "topic 'orders' entry 57, file 00000000000000000000.wal block 2 offset 4168". */
    static String where(Problem p) {
        List<String> parts = new ArrayList<>();
        if (p.topic() != null) {
            parts.add("topic '" + p.topic() + "'" + (p.sequence() >= 0 ? " entry " + p.sequence() : ""));
        }
        if (p.file() != null) {
            parts.add("file " + p.file() + (p.block() >= 0 ? " block " + p.block() : "")
                    + (p.offset() >= 0 ? " offset " + p.offset() : ""));
        }
        return String.join(", ", parts);
    }

    private static Map<String, Object> asJson(VerifyReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("directory", report.directory().toString());
        root.put("damaged", report.damaged());
        root.put("files", report.files());
        root.put("blocks", report.blocks());
        root.put("topics", report.topics());
        root.put("entries", report.entries());
        List<Object> problems = new ArrayList<>();
        for (Problem p : report.problems()) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("severity", p.severity().name());
            problem.put("topic", p.topic());
            problem.put("file", p.file());
            problem.put("block", p.block() >= 0 ? p.block() : null);
            problem.put("offset", p.offset() >= 0 ? p.offset() : null);
            problem.put("sequence", p.sequence() >= 0 ? p.sequence() : null);
            problem.put("message", p.message());
            problems.add(problem);
        }
        root.put("problems", problems);
        return root;
    }
}
