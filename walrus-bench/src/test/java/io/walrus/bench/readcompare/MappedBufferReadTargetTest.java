package io.walrus.bench.readcompare;

import io.walrus.bench.config.FsyncMode;
import io.walrus.bench.target.MappedBufferWriteTarget;
import io.walrus.bench.target.WriteTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The plain mapped walk and its checksumming twin read back every entry the mapped write loop wrote. */
class MappedBufferReadTargetTest {

    @Test
    void bothWalksReadEveryEntryAndEveryPayloadByteOnce(@TempDir Path directory) throws IOException {
        long written = 0;
        try (WriteTarget target = MappedBufferWriteTarget.open(directory, FsyncMode.none())) {
            WriteTarget.Appender appender = target.appender(0);
            for (int i = 0; i < 300; i++) {
                byte[] payload = new byte[1 + i * 7];
                payload[0] = (byte) i;
                appender.append(payload);
                written += payload.length;
            }
        }

        for (ReadTarget target : new ReadTarget[] {MappedBufferReadTarget.open(directory),
                MappedBufferReadTarget.verifying(directory)}) {
            try (target) {
                ReadTarget.Reader reader = target.reader(0);
                int entries = 0;
                for (int got; (got = reader.read()) > 0; ) {
                    entries += got;
                }
                assertEquals(300, entries);
                assertEquals(written, reader.bytes());
            }
        }
    }
}
