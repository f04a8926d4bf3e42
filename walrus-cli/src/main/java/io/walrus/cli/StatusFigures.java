package io.walrus.cli;

import io.walrus.client.wire.Reply;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code walrus cluster status} writes a node's recent figures ({@link Reply.NodeFigures}): short, units given. */
final class StatusFigures {
    private StatusFigures() {
    }

    /** The table's APPENDS/S, ENTRIES/S, LATENCY, FSYNC and DISK of a node's figures; dashes without any. */
    static List<String> columns(Reply.NodeFigures f) {
        if (f == null) {
            return List.of("-", "-", "-", "-", "-");
        }
        return List.of(rate(f.appendsPerSecond()), rate(f.entriesPerSecond()),
                meanAndMax(f.latencyMeanNanos(), f.latencyMaxNanos()), meanAndMax(f.logSyncP50Nanos(), f.logSyncP99Nanos()),
                bytes(f.raftLogBytes(), f.walrusBytes()));
    }

    /** {@code 0}, {@code 12.5}, {@code 4,210}. */
    static String rate(double perSecond) {
        return perSecond < 100 && perSecond != Math.rint(perSecond)
                ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** {@code 3.5/41 ms}: a typical and a high duration in milliseconds; {@code -} where the node had none. */
    static String meanAndMax(long typicalNanos, long highNanos) {
        if (typicalNanos < 0) {
            return "-";
        }
        return millis(typicalNanos) + "/" + millis(Math.max(typicalNanos, highNanos)) + " ms";
    }

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.0f", ms);
    }

    /** The Raft log's and Walrus's bytes together, in MiB ({@code -} if either could not be counted). */
    static String bytes(long raftLog, long walrus) {
        if (raftLog < 0 || walrus < 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f MiB", (raftLog + walrus) / (double) (1 << 20));
    }

    /** Every figure as the node gave it, rates worked out, for {@code --json}. */
    static Map<String, Object> asJson(Reply.NodeFigures f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("windowSeconds", f.windowSeconds());
        json.put("appendsPerSecond", f.appendsPerSecond());
        json.put("entriesPerSecond", f.entriesPerSecond());
        json.put("latencySamples", f.latencySamples());
        json.put("latencyMeanNanos", f.latencyMeanNanos());
        json.put("latencyMaxNanos", f.latencyMaxNanos());
        json.put("logSyncP50Nanos", f.logSyncP50Nanos());
        json.put("logSyncP99Nanos", f.logSyncP99Nanos());
        json.put("raftLogBytes", f.raftLogBytes());
        json.put("walrusBytes", f.walrusBytes());
        return json;
    }
}
