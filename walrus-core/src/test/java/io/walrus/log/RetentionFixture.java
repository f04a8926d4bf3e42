package io.walrus.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.walrus.format.DataFileNames;
import io.walrus.storage.DataFiles;
import io.walrus.sync.FlushPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * An engine with one file lane, 64 KiB blocks, four blocks a file and no background deletion (tests
 * call {@link WriteAheadLog#reclaimConsumedFiles()}), and entries that say who they are.
 */
final class RetentionFixture {
    /** About 1 KiB a frame: 63 entries fill a 64 KiB block, 252 a data file. */
    static final int PAYLOAD = 1000;
    static final int PER_BLOCK = 63;
    static final int PER_FILE = PER_BLOCK * 4;

    private RetentionFixture() {
    }

    static WriteAheadLog open(Path dir) throws IOException {
        return open(dir, 1);
    }

    static WriteAheadLog open(Path dir, int persistEvery) throws IOException {
        return WriteAheadLog.open(new LogConfig(dir, persistEvery, FlushPolicy.Kind.onCloseOnly(), false, LogFixture.BLOCK,
                4, 1, DataFiles.CHANNEL, 0));
    }

    /** Entry {@code i} of {@code topic}: its name and number, padded to {@link #PAYLOAD} bytes. */
    static byte[] entry(String topic, long i) {
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) (i * 31 + topic.hashCode()));
        byte[] label = (topic + "#" + i + ";").getBytes(UTF_8);
        System.arraycopy(label, 0, payload, 0, label.length);
        return payload;
    }

    /** The number of a payload made by {@link #entry}, after checking every byte of it. */
    static long indexOf(String topic, byte[] payload) {
        String text = new String(payload, 0, Math.min(payload.length, 64), UTF_8);
        if (!text.startsWith(topic + "#") || text.indexOf(';') < 0) {
            throw new AssertionError("not an entry of " + topic + ": " + text);
        }
        long i = Long.parseLong(text.substring(topic.length() + 1, text.indexOf(';')));
        if (!Arrays.equals(payload, entry(topic, i))) {
            throw new AssertionError("entry " + i + " of " + topic + " has wrong bytes");
        }
        return i;
    }

    static void append(WriteAheadLog log, String topic, long from, long to) throws IOException {
        for (long i = from; i < to; i++) {
            log.append(topic, entry(topic, i));
        }
    }

    /** Reads {@code count} entries with checkpoints, checking they are {@code from}, {@code from + 1}, ... */
    static void consume(WriteAheadLog log, String topic, long from, long count) throws IOException {
        for (long i = from; i < from + count; i++) {
            byte[] payload = log.readNext(topic, true);
            if (payload == null) {
                throw new AssertionError(topic + ": entry " + i + " missing");
            }
            long got = indexOf(topic, payload);
            if (got != i) {
                throw new AssertionError(topic + ": expected entry " + i + ", got " + got);
            }
        }
    }

    /**
     * The data files in {@code dir} that hold blocks: not the lanes' next files, which the log
     * creates in the background when it likes (none is in creation while no append runs).
     */
    static List<String> dataFiles(WriteAheadLog log, Path dir) throws IOException {
        List<String> spare = log.nextFileNames();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            files.filter(p -> DataFileNames.fileSequence(p).isPresent()).map(p -> p.getFileName().toString())
                    .filter(name -> !spare.contains(name)).forEach(names::add);
            names.sort(null);
            return names;
        }
    }
}
