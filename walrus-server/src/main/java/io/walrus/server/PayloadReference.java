package io.walrus.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the Raft log holds of an append: which topic and how many entries, not the payloads. The
 * payloads travel beside it as the entry's state-machine data (the client's command, as
 * {@link io.walrus.client.wire.CommandCodec} encodes it), which Ratis hands to
 * {@link WalrusStateMachine#write} and leaves out of the log file; the node keeps them in its Walrus
 * instance only, each with its {@link PayloadTag}.
 *
 * <pre>
 *   byte    0x52 ('R'), where a command has its version (1): an older node refuses it, never misreads it
 *   byte    1 single append, 2 batch append
 *   int     entries
 *   int     topic length, then the topic in UTF-8
 * </pre>
 *
 * @param batch whether it was a batch append (of one entry or more)
 */
record PayloadReference(String topic, int count, boolean batch) {
    private static final byte MARK = 0x52;
    private static final byte SINGLE = 1;
    private static final byte BATCH = 2;

    /** Whether {@code logData} is a reference rather than a whole command. */
    static boolean isReference(ByteBuffer logData) {
        return logData.remaining() > 0 && logData.get(logData.position()) == MARK;
    }

    byte[] encode() {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 4 + 4 + name.length).put(MARK).put(batch ? BATCH : SINGLE)
                .putInt(count).putInt(name.length).put(name).array();
    }

    /** @throws IllegalArgumentException if the bytes are not a reference */
    static PayloadReference decode(ByteBuffer in) {
        try {
            if (in.get() != MARK) {
                throw new IllegalArgumentException("not a payload reference");
            }
            byte kind = in.get();
            if (kind != SINGLE && kind != BATCH) {
                throw new IllegalArgumentException("payload reference of unknown kind " + kind);
            }
            int count = in.getInt();
            int length = in.getInt();
            if (count < 1 || (kind == SINGLE && count != 1) || length < 0 || length != in.remaining()) {
                throw new IllegalArgumentException("payload reference with " + count + " entries and a topic of "
                        + length + " bytes in " + in.remaining());
            }
            byte[] name = new byte[length];
            in.get(name);
            return new PayloadReference(new String(name, StandardCharsets.UTF_8), count, kind == BATCH);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("payload reference ends early", e);
        }
    }
}
