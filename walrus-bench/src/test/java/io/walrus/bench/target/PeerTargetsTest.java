package io.walrus.bench.target;

import io.walrus.bench.config.FsyncMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Every peer of {@code bench-compare} writes a few entries and a batch from two writers under each
 * fsync mode, and closes cleanly, leaving bytes on disk. A peer whose native library cannot load on
 * this machine is skipped (and reported unavailable by the benchmark), never failed.
 */
class PeerTargetsTest {
    /** Opens one peer on a directory. */
    @FunctionalInterface
    interface Opener {
        WriteTarget open(Path directory, FsyncMode fsync) throws IOException;
    }

    static Stream<Arguments> peersAndModes() {
        List<Arguments> peers = List.of(
                Arguments.of("chronicle", (Opener) ChronicleQueueWriteTarget::open),
                Arguments.of("rocksdb", (Opener) RocksDbWriteTarget::open),
                Arguments.of("kafka-log", (Opener) KafkaLogWriteTarget::open),
                Arguments.of("mmap", (Opener) MappedBufferWriteTarget::open),
                Arguments.of("filechannel", (Opener) FileChannelWriteTarget::open));
        List<FsyncMode> modes = List.of(FsyncMode.none(), FsyncMode.syncEach(), FsyncMode.every(1));
        return peers.stream().flatMap(peer -> modes.stream()
                .map(mode -> Arguments.of(peer.get()[0], peer.get()[1], mode)));
    }

    @ParameterizedTest(name = "{0} under fsync {2}")
    @MethodSource("peersAndModes")
    void writesEntriesAndABatchFromTwoWritersAndCloses(String name, Opener opener, FsyncMode fsync,
                                                       @TempDir Path directory) throws IOException {
        WriteTarget target = openOrSkip(opener, directory, fsync);
        try (target) {
            for (int writer = 0; writer < 2; writer++) {
                WriteTarget.Appender appender = target.appender(writer);
                for (int i = 0; i < 10; i++) {
                    appender.append(payload(writer, i, 100 + i));
                }
                appender.appendBatch(List.of(payload(writer, 10, 500), payload(writer, 11, 1024)));
            }
        }

        assertTrue(bytesUnder(directory) >= 2 * (10 * 100 + 500 + 1024),
                name + " left fewer bytes than it was given under " + directory);
    }

    private static WriteTarget openOrSkip(Opener opener, Path directory, FsyncMode fsync) throws IOException {
        try {
            return opener.open(directory, fsync);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError noNativeLibrary) {
            return abort("the peer's native library cannot load here: " + noNativeLibrary);
        }
    }

    private static byte[] payload(int writer, int index, int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (writer * 31 + index * 7 + i);
        }
        return payload;
    }

    /** Bytes on disk (allocated blocks), so sparse preallocated files do not count what was never written. */
    private static long bytesUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(PeerTargetsTest::allocatedBytes).sum();
        }
    }

    private static long allocatedBytes(Path file) {
        try {
            Object blocks = Files.getAttribute(file, "unix:blocks");
            return ((Number) blocks).longValue() * 512;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
