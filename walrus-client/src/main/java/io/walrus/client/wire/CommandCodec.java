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

/**
 * The bytes of a {@link Command}, as they stand in the Raft log (writes) or in a query:
 *
 * <pre>
 *   byte    version (1)
 *   byte    opcode
 *   ...     the command's fields in declaration order: strings and byte arrays as int length + bytes,
 *           longs as 8 bytes, ints as 4; a batch as int count + that many byte arrays
 * </pre>
 *
 * The version comes first so that a later format can still apply the entries an older one logged.
 */
public final class CommandCodec {
    static final byte VERSION = 1;

    private static final byte APPEND = 1;
    private static final byte BATCH_APPEND = 2;
    private static final byte CHECKPOINT_READ = 3;
    private static final byte CREATE_CONSUMER = 4;
    private static final byte REMOVE_CONSUMER = 5;
    private static final byte PEEK = 20;
    private static final byte AWAIT_ENTRY = 21;
    private static final byte LIST_CONSUMERS = 22;
    private static final byte SCAN = 23;
    private static final byte STATUS = 24;
    private static final byte FIGURES = 25;

    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        ByteBuffer out = ByteBuffer.allocate(2 + size(command));
        out.put(VERSION);
        switch (command) {
            case Command.Append c -> {
                out.put(APPEND);
                putString(out, c.topic());
                putBytes(out, c.data());
            }
            case Command.BatchAppend c -> {
                out.put(BATCH_APPEND);
                putString(out, c.topic());
                out.putInt(c.entries().length);
                for (byte[] entry : c.entries()) {
                    putBytes(out, entry);
                }
            }
            case Command.CheckpointRead c -> {
                out.put(CHECKPOINT_READ);
                putString(out, c.consumer());
                putString(out, c.topic());
                out.putLong(c.maxBytes()).putInt(c.maxEntries());
            }
            case Command.CreateConsumer c -> {
                out.put(CREATE_CONSUMER);
                putString(out, c.name());
            }
            case Command.RemoveConsumer c -> {
                out.put(REMOVE_CONSUMER);
                putString(out, c.name());
            }
            case Command.Peek c -> {
                out.put(PEEK);
                putString(out, c.consumer());
                putString(out, c.topic());
                out.putLong(c.maxBytes()).putInt(c.maxEntries());
            }
            case Command.AwaitEntry c -> {
                out.put(AWAIT_ENTRY);
                putString(out, c.consumer());
                putString(out, c.topic());
                out.putLong(c.timeoutMillis());
            }
            case Command.ListConsumers c -> out.put(LIST_CONSUMERS);
            case Command.Scan c -> {
                out.put(SCAN);
                putString(out, c.topic());
                out.putLong(c.fromSequence()).putLong(c.maxBytes()).putInt(c.maxEntries());
            }
            case Command.Status c -> out.put(STATUS);
            case Command.Figures c -> out.put(FIGURES);
        }
        return out.array();
    }

    /** The command in {@code in} (consumed whole). */
    public static Command decode(ByteBuffer in) {
        byte version = getByte(in);
        if (version != VERSION) {
            throw new MalformedMessageException("command version " + version + ", this node reads " + VERSION);
        }
        byte opcode = getByte(in);
        Command command = switch (opcode) {
            case APPEND -> new Command.Append(getString(in), getBytes(in));
            case BATCH_APPEND -> {
                String topic = getString(in);
                byte[][] entries = new byte[getLength(in)][];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = getBytes(in);
                }
                yield new Command.BatchAppend(topic, entries);
            }
            case CHECKPOINT_READ -> new Command.CheckpointRead(getString(in), getString(in), getLong(in), getInt(in));
            case CREATE_CONSUMER -> new Command.CreateConsumer(getString(in));
            case REMOVE_CONSUMER -> new Command.RemoveConsumer(getString(in));
            case PEEK -> new Command.Peek(getString(in), getString(in), getLong(in), getInt(in));
            case AWAIT_ENTRY -> new Command.AwaitEntry(getString(in), getString(in), getLong(in));
            case LIST_CONSUMERS -> new Command.ListConsumers();
            case SCAN -> new Command.Scan(getString(in), getLong(in), getLong(in), getInt(in));
            case STATUS -> new Command.Status();
            case FIGURES -> new Command.Figures();
            default -> throw new MalformedMessageException("unknown command opcode " + opcode);
        };
        WireBuffer.checkConsumed(in);
        return command;
    }

    private static int size(Command command) {
        return switch (command) {
            case Command.Append c -> stringSize(c.topic()) + 4 + c.data().length;
            case Command.BatchAppend c -> {
                int size = stringSize(c.topic()) + 4;
                for (byte[] entry : c.entries()) {
                    size += 4 + entry.length;
                }
                yield size;
            }
            case Command.CheckpointRead c -> stringSize(c.consumer()) + stringSize(c.topic()) + 12;
            case Command.CreateConsumer c -> stringSize(c.name());
            case Command.RemoveConsumer c -> stringSize(c.name());
            case Command.Peek c -> stringSize(c.consumer()) + stringSize(c.topic()) + 12;
            case Command.AwaitEntry c -> stringSize(c.consumer()) + stringSize(c.topic()) + 8;
            case Command.ListConsumers c -> 0;
            case Command.Scan c -> stringSize(c.topic()) + 20;
            case Command.Status c -> 0;
            case Command.Figures c -> 0;
        };
    }
}
