package io.walrus.bench.writes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where a write phase's appends spent their samples, by part of the append, from async-profiler's
 * collapsed stacks (one line per distinct stack, root first, then the sample count). A sample counts
 * toward the append when its stack passes through a target's {@code append}; its part is the first
 * rule that matches a frame, looking from the leaf (where the CPU was) up to the append. Walrus's and
 * the loop's phases are read with the same rules, so their rows compare.
 */
final class ProfileBreakdown {
    /** The frames a target's single append enters through (Walrus's, the FileChannel loop's). */
    private static final List<String> APPEND_FRAMES = List.of(
            "io/walrus/bench/target/WalrusWriteTarget$TopicAppender.append",
            "io/walrus/bench/target/FileChannelWriteTarget$FileAppender.append");

    private record Part(String name, Predicate<String> frame) {
    }

    /** In order: the first that matches a frame, leaf first, names the sample's part. */
    private static final List<Part> PARTS = List.of(
            // The loop's System.nanoTime, compiled into the same method and sometimes charged to an inlined callee.
            new Part("the benchmark's clock (nanoTime)", f -> f.equals("os::javaTimeNanos") || f.startsWith("clock_gettime")),
            new Part("pwrite: kernel and libc", f -> f.endsWith("_[k]") || f.equals("__pwrite64")
                    || f.contains("pwrite0") || f.contains("pthread_") && f.contains("asynccancel")),
            new Part("CRC32C of the entry", f -> f.contains("CRC32C")),
            new Part("FileChannel.write around pwrite (JDK)", f -> f.startsWith("sun/nio/ch/")
                    || f.startsWith("java/nio/channels/spi/") || f.equals("java/nio/Buffer.session")
                    || f.startsWith("java/lang/Thread.blockedOn") || f.startsWith("java/lang/Thread.isInterrupted") || f.contains("MemorySessionImpl") || f.equals("fdval")
                    || f.equals("convertReturnVal")),
            new Part("staging buffer: pool take/give", f -> f.contains("BufferPool")),
            new Part("topic lock", f -> f.contains("ReentrantLock") || f.contains("AbstractQueuedSynchronizer")),
            new Part("flush policy calls", f -> f.contains("io/walrus/sync/")),
            new Part("new block (allocator, block header)", f -> f.contains("TopicWriter.rollTo")
                    || f.contains("BlockAllocator")),
            new Part("publication to readers (commit, signal)", f -> f.contains("TopicWriter.commit")
                    || f.contains("Block.publish") || f.contains("CommitSignal")),
            new Part("interrupt status (ChannelDataFile)", f -> f.startsWith("java/lang/Thread.interrupted")),
            new Part("copy into the staging buffer", f -> f.contains("arraycopy") || f.startsWith("java/nio/")
                    || f.contains("Unsafe") || f.contains("writeStaged")),
            new Part("header encoding", f -> f.contains("EntryCodec") || f.contains("putEntry")),
            new Part("topic lookup, argument checks", f -> f.contains("ConcurrentHashMap") || f.contains("Arguments")
                    || f.contains("topicForWrite")),
            new Part("storage wrappers (uring file, ChannelDataFile)", f -> f.contains("io/walrus/storage/")),
            // Generic JDK frames (ArrayList, atomics, VarHandles) match nothing: their caller names the part.
            new Part("writer bookkeeping (TopicWriter, undo log)", f -> f.contains("io/walrus/log/")),
            new Part("the benchmark's own frames", f -> f.startsWith("io/walrus/bench/") || f.startsWith("io/walrus/Walrus.")));

    private static final String OTHER = "other";

    private final Map<String, Long> samplesByPart;
    private final long appendSamples;
    private final long allSamples;

    private ProfileBreakdown(Map<String, Long> samplesByPart, long appendSamples, long allSamples) {
        this.samplesByPart = samplesByPart;
        this.appendSamples = appendSamples;
        this.allSamples = allSamples;
    }

    static ProfileBreakdown of(Path collapsed) throws IOException {
        Map<String, Long> byPart = new LinkedHashMap<>();
        for (Part part : PARTS) {
            byPart.put(part.name(), 0L);
        }
        byPart.put(OTHER, 0L);
        long inAppends = 0;
        long all = 0;
        try (BufferedReader reader = Files.newBufferedReader(collapsed)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                long samples = Long.parseLong(line.substring(space + 1).trim());
                all += samples;
                String[] frames = line.substring(0, space).split(";");
                int entry = appendFrame(frames);
                if (entry < 0) {
                    continue;
                }
                inAppends += samples;
                byPart.merge(partOf(frames, entry), samples, Long::sum);
            }
        }
        return new ProfileBreakdown(byPart, inAppends, all);
    }

    private static int appendFrame(String[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (APPEND_FRAMES.contains(frames[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String partOf(String[] frames, int entry) {
        for (int i = frames.length - 1; i >= entry; i--) {
            for (Part part : PARTS) {
                if (part.frame().test(frames[i])) {
                    return part.name();
                }
            }
        }
        return OTHER;
    }

    /** The parts with samples, largest first: share of the appends' samples and CPU time per append. */
    void print(String label, long writes, long intervalNanos, PrintStream out) {
        out.printf("[%s] profile: %,d samples, %,d (%.1f %%) in appends, %.2f us of CPU per append%n", label,
                allSamples, appendSamples, percent(appendSamples, allSamples), perAppendMicros(appendSamples, writes,
                        intervalNanos));
        List<Map.Entry<String, Long>> rows = new ArrayList<>(samplesByPart.entrySet());
        rows.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> row : rows) {
            if (row.getValue() > 0) {
                out.printf("[%s]   %5.1f %%  %6.3f us  %s%n", label, percent(row.getValue(), appendSamples),
                        perAppendMicros(row.getValue(), writes, intervalNanos), row.getKey());
            }
        }
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static double perAppendMicros(long samples, long writes, long intervalNanos) {
        return writes == 0 ? 0 : samples * (double) intervalNanos / writes / 1000.0;
    }
}
