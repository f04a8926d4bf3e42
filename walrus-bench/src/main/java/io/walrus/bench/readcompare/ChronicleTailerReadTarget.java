package io.walrus.bench.readcompare;

import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.target.ChronicleQueueWriteTarget;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Chronicle Queue's tailer over each queue {@link ChronicleQueueWriteTarget} wrote: one excerpt per
 * read through {@code readingDocument()}, its bytes copied into an array the reader reuses
 * (Chronicle's garbage-free way; the excerpt itself is read in place from the mapped file).
 */
final class ChronicleTailerReadTarget implements ReadTarget {
    private final Path directory;
    private final FsyncMode fsync;
    private final List<SingleChronicleQueue> queues = new CopyOnWriteArrayList<>();
    private final List<ExcerptTailer> tailers = new CopyOnWriteArrayList<>();

    private ChronicleTailerReadTarget(Path directory, FsyncMode fsync) {
        this.directory = directory;
        this.fsync = fsync;
    }

    static ChronicleTailerReadTarget open(Path directory, FsyncMode fsync) {
        ChronicleQueueWriteTarget.open(directory, fsync); // sets Chronicle's quiet properties before it loads
        return new ChronicleTailerReadTarget(directory, fsync);
    }

    @Override
    public Reader reader(int topic) {
        SingleChronicleQueue queue = ChronicleQueueWriteTarget.openQueue(directory, topic, fsync);
        queues.add(queue);
        ExcerptTailer tailer = queue.createTailer();
        tailer.toStart();
        tailer.singleThreadedCheckReset(); // created here, used by the reader thread
        tailers.add(tailer);
        return new TailerReader(tailer);
    }

    @Override
    public void close() {
        for (ExcerptTailer tailer : tailers) {
            tailer.singleThreadedCheckReset();
            tailer.close();
        }
        queues.forEach(SingleChronicleQueue::close);
    }

    private static final class TailerReader extends CountingReader {
        private final ExcerptTailer tailer;
        private final byte[] payload = new byte[64 << 10];

        TailerReader(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        @Override
        public int read() {
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    return 0;
                }
                Bytes<?> excerpt = document.wire().bytes();
                int length = (int) excerpt.readRemaining();
                excerpt.read(payload, 0, length);
                bytes += length;
                return 1;
            }
        }
    }
}
