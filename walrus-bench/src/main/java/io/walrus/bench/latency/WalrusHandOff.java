package io.walrus.bench.latency;

import io.walrus.Consumer;
import io.walrus.Entry;
import io.walrus.Walrus;
import io.walrus.bench.config.WorkloadConfig;
import io.walrus.bench.target.WalrusWriteTarget;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Timestamps through Walrus: appended to one topic as the first 8 bytes of a 64-byte entry, read by
 * a named consumer's waiting {@code readNext(topic, true, timeout)}, which parks until the append
 * commits. The instance is configured as every benchmark configures it (atLeastOnce(5000), FSYNC,
 * BACKEND).
 */
final class WalrusHandOff implements HandOff {
    static final String TOPIC = "latency";
    static final int ENTRY_BYTES = 64;

    private final Walrus walrus;
    private final Consumer consumer;
    /** Only the sending thread touches it; appendForTopic has copied it out when it returns. */
    private final byte[] payload = new byte[ENTRY_BYTES];
    private final ByteBuffer stamp = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);

    private WalrusHandOff(Walrus walrus, Consumer consumer) {
        this.walrus = walrus;
        this.consumer = consumer;
    }

    static WalrusHandOff open(Path directory, WorkloadConfig config) throws IOException {
        Walrus walrus = WalrusWriteTarget.openWalrus(directory, config);
        try {
            return new WalrusHandOff(walrus, walrus.consumer("latency"));
        } catch (IOException | RuntimeException e) {
            walrus.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "walrus";
    }

    @Override
    public void send(long stampNanos) throws IOException {
        stamp.putLong(0, stampNanos);
        walrus.appendForTopic(TOPIC, payload);
    }

    @Override
    public long receive(Duration timeout) throws IOException {
        Optional<Entry> entry = consumer.readNext(TOPIC, true, timeout);
        return entry.isEmpty() ? -1 : ByteBuffer.wrap(entry.get().data()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    @Override
    public void close() throws IOException {
        walrus.close();
    }
}
