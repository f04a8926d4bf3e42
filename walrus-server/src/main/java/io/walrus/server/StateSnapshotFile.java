package io.walrus.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A node's {@link ReplicatedState} as a snapshot file (the Walrus files beside it hold the entries):
 *
 * <pre>
 *   int     magic 0x57414C53 ("WALS")
 *   int     version 2
 *   int     topics, then per topic: UTF name, long entries applied
 *   int     consumers (the default one, named ""), then per consumer: UTF name, int cursors,
 *           then per cursor: UTF topic, long next sequence
 *   int     topics with dead entries, then per topic: UTF name, int ranges, then per range:
 *           long first, long end (physical sequences in the Walrus files beside it: DeadEntries)
 *   int     CRC32C of every byte before it
 * </pre>
 *
 * Version 1 (before payloads lived in Walrus only) had no dead entries; its Walrus entries carry no
 * {@link PayloadTag}, so it is refused, as {@link DataDirectoryIdentity} refuses its directory.
 *
 * Written to a temporary file, forced, then renamed over the final name, so a crash leaves the old
 * snapshot or the new one, never half of one.
 */
final class StateSnapshotFile {
    private static final int MAGIC = 0x57414C53;
    private static final int VERSION = 2;

    private StateSnapshotFile() {
    }

    static void write(ReplicatedState state, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        Map<String, Long> applied = Map.copyOf(state.appliedEntries());
        out.writeInt(applied.size());
        for (Map.Entry<String, Long> topic : applied.entrySet()) {
            out.writeUTF(topic.getKey());
            out.writeLong(topic.getValue());
        }
        Map<String, Map<String, Long>> cursors = Map.copyOf(state.cursors());
        out.writeInt(cursors.size());
        for (Map.Entry<String, Map<String, Long>> consumer : cursors.entrySet()) {
            Map<String, Long> byTopic = Map.copyOf(consumer.getValue());
            out.writeUTF(consumer.getKey());
            out.writeInt(byTopic.size());
            for (Map.Entry<String, Long> cursor : byTopic.entrySet()) {
                out.writeUTF(cursor.getKey());
                out.writeLong(cursor.getValue());
            }
        }
        Map<String, DeadEntries> dead = Map.copyOf(state.deadByTopic());
        out.writeInt(dead.size());
        for (Map.Entry<String, DeadEntries> topic : dead.entrySet()) {
            long[] ranges = topic.getValue().ranges();
            out.writeUTF(topic.getKey());
            out.writeInt(ranges.length / 2);
            for (long bound : ranges) {
                out.writeLong(bound);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();

        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(bytes.toByteArray()));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    static ReplicatedState read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 12) {
            throw new IOException("snapshot " + file + " has " + bytes.length + " bytes, too few to be one");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IOException("snapshot " + file + " fails its checksum: it is damaged");
        }
        return parse(new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4)), file);
    }

    private static ReplicatedState parse(DataInputStream in, Path file) throws IOException {
        try {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Walrus node snapshot (wrong magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("snapshot " + file + " has version " + version + "; this node reads " + VERSION);
            }
            ReplicatedState state = new ReplicatedState();
            for (int topics = in.readInt(); topics > 0; topics--) {
                state.addApplied(in.readUTF(), in.readLong());
            }
            for (int consumers = in.readInt(); consumers > 0; consumers--) {
                String consumer = in.readUTF();
                state.restoreConsumer(consumer);
                for (int cursors = in.readInt(); cursors > 0; cursors--) {
                    state.moveCursor(consumer, in.readUTF(), in.readLong());
                }
            }
            for (int topics = in.readInt(); topics > 0; topics--) {
                String topic = in.readUTF();
                int ranges = in.readInt();
                if (ranges < 0 || ranges > in.available() / 16) {
                    throw new IOException("snapshot " + file + " claims " + ranges + " dead ranges for topic '" + topic
                            + "': it is damaged");
                }
                long[] bounds = new long[ranges * 2];
                for (int i = 0; i < bounds.length; i++) {
                    bounds[i] = in.readLong();
                }
                try {
                    state.restoreDead(topic, DeadEntries.of(bounds));
                } catch (IllegalArgumentException e) {
                    throw new IOException("snapshot " + file + ": " + e.getMessage(), e);
                }
            }
            return state;
        } catch (EOFException e) {
            throw new IOException("snapshot " + file + " ends early: it is damaged", e);
        }
    }
}
