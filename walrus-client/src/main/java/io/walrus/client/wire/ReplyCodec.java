package io.walrus.client.wire;

import static io.walrus.client.wire.WireBuffer.getByte;
import static io.walrus.client.wire.WireBuffer.getBytes;
import static io.walrus.client.wire.WireBuffer.getInt;
import static io.walrus.client.wire.WireBuffer.getLength;
import static io.walrus.client.wire.WireBuffer.getLong;
import static io.walrus.client.wire.WireBuffer.getString;
import static io.walrus.client.wire.WireBuffer.putBytes;
import static io.walrus.client.wire.WireBuffer.putString;
import static io.walrus.client.wire.WireBuffer.stringSize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The bytes of a {@link Reply}: a kind byte, then its fields as {@link CommandCodec} lays them out. */
public final class ReplyCodec {
    private static final byte DONE = 1;
    private static final byte ENTRIES = 2;
    private static final byte FLAG = 3;
    private static final byte NAMES = 4;
    private static final byte NODE_STATE = 5;
    private static final byte NODE_FIGURES = 6;
    private static final byte REFUSED = 9;

    private ReplyCodec() {
    }

    public static byte[] encode(Reply reply) {
        ByteBuffer out = ByteBuffer.allocate(1 + size(reply));
        switch (reply) {
            case Reply.Done r -> out.put(DONE);
            case Reply.Entries r -> {
                out.put(ENTRIES).putLong(r.firstSequence()).putInt(r.payloads().size());
                for (byte[] payload : r.payloads()) {
                    putBytes(out, payload);
                }
            }
            case Reply.Flag r -> out.put(FLAG).put((byte) (r.value() ? 1 : 0));
            case Reply.Names r -> {
                out.put(NAMES).putInt(r.names().size());
                r.names().forEach(name -> putString(out, name));
            }
            case Reply.NodeState r -> {
                out.put(NODE_STATE).putLong(r.appliedIndex()).putInt(r.topics().size());
                for (Reply.TopicState topic : r.topics()) {
                    putString(out, topic.topic());
                    out.putLong(topic.entries()).putLong(topic.cursor());
                }
            }
            case Reply.NodeFigures r -> out.put(NODE_FIGURES).putInt(r.windowSeconds()).putLong(r.appends())
                    .putLong(r.entries()).putLong(r.latencySamples()).putLong(r.latencyMeanNanos())
                    .putLong(r.latencyMaxNanos()).putLong(r.logSyncP50Nanos()).putLong(r.logSyncP99Nanos())
                    .putLong(r.raftLogBytes()).putLong(r.walrusBytes());
            case Reply.Refused r -> {
                out.put(REFUSED);
                putString(out, r.message());
            }
        }
        return out.array();
    }

    public static Reply decode(ByteBuffer in) {
        byte kind = getByte(in);
        Reply reply = switch (kind) {
            case DONE -> new Reply.Done();
            case ENTRIES -> {
                long first = getLong(in);
                int count = getLength(in);
                List<byte[]> payloads = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    payloads.add(getBytes(in));
                }
                yield new Reply.Entries(first, payloads);
            }
            case FLAG -> new Reply.Flag(getByte(in) != 0);
            case NAMES -> {
                int count = getLength(in);
                List<String> names = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    names.add(getString(in));
                }
                yield new Reply.Names(names);
            }
            case NODE_STATE -> {
                long applied = getLong(in);
                int count = getLength(in);
                List<Reply.TopicState> topics = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    topics.add(new Reply.TopicState(getString(in), getLong(in), getLong(in)));
                }
                yield new Reply.NodeState(applied, topics);
            }
            case NODE_FIGURES -> new Reply.NodeFigures(getInt(in), getLong(in), getLong(in), getLong(in), getLong(in),
                    getLong(in), getLong(in), getLong(in), getLong(in), getLong(in));
            case REFUSED -> new Reply.Refused(getString(in));
            default -> throw new MalformedMessageException("unknown reply kind " + kind);
        };
        WireBuffer.checkConsumed(in);
        return reply;
    }

    private static int size(Reply reply) {
        return switch (reply) {
            case Reply.Done r -> 0;
            case Reply.Entries r -> {
                int size = 12;
                for (byte[] payload : r.payloads()) {
                    size += 4 + payload.length;
                }
                yield size;
            }
            case Reply.Flag r -> 1;
            case Reply.Names r -> 4 + r.names().stream().mapToInt(WireBuffer::stringSize).sum();
            case Reply.NodeState r -> 12 + r.topics().stream().mapToInt(t -> stringSize(t.topic()) + 16).sum();
            case Reply.NodeFigures r -> 4 + 9 * 8;
            case Reply.Refused r -> stringSize(r.message());
        };
    }
}
