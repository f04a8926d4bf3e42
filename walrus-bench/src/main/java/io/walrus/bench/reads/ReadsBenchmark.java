package io.walrus.bench.reads;

import io.walrus.bench.Benchmark;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.report.PhaseSummary;
import io.walrus.bench.target.WalrusWriteTarget;
import io.walrus.bench.workload.PageCacheSettler;
import io.walrus.bench.workload.ScratchDirectory;
import io.walrus.bench.writes.WritePhase;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code reads}: the original's read benchmark. A write phase exactly like {@code writes}' Walrus
 * phase fills one topic per writer; a read phase of the same length then consumes those topics with
 * one reader each. Both share one scratch directory, deleted at the end.
 */
public final class ReadsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "reads";
    }

    @Override
    public String summary() {
        return "read throughput and latency of what a write phase left (Walrus only)";
    }

    @Override
    public void run(WorkloadConfig config, PrintStream out) throws IOException {
        out.println("reads: " + config.describe());
        PageCacheSettler settler = PageCacheSettler.forThisMachine();
        try (ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), name() + "-walrus")) {
            out.println("== write phase ==");
            PhaseSummary written = new WritePhase(name(), config, settler, out)
                    .runIn(scratch.path(), "walrus-write", "walrus-write",
                            directory -> WalrusWriteTarget.open(directory, config));
            out.println("== read phase ==");
            ReadPhase.Result read = new ReadPhase(name(), config, settler, out).run(scratch.path(), "walrus-read");
            out.println(verdict(written.writes(), read.summary().writes(), read.drained()));
            if (read.drained() && written.writes() != read.summary().writes()) {
                // A drained log that gave back a different count lost or invented entries: not a result.
                throw new IOException("read back " + read.summary().writes() + " entries of " + written.writes());
            }
        }
    }

    /** The closing line: whether everything written came back. */
    static String verdict(long written, long read, boolean drained) {
        if (!drained) {
            return String.format(Locale.ROOT,
                    "entries: %,d written, %,d read; the read phase did NOT drain every topic within the duration",
                    written, read);
        }
        return String.format(Locale.ROOT, "entries: %,d written, %,d read: %s", written, read,
                written == read ? "every entry read back" : "MISMATCH, " + (written - read) + " missing");
    }
}
