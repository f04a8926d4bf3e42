package io.walrus.cursor;

import io.walrus.format.CursorFileDescriptor;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * One topic's cursor file (format: {@link CursorFileDescriptor}), kept open between saves. A save is one
 * positional write of the slot the last save did not use and one fdatasync: the file is already
 * allocated at its full size, so nothing but its data changes and no journal commit is needed for
 * metadata. A crash during the write can damage that slot only, and the other still holds the last
 * save. Making the file (the first save, or the first after reading a version 1 or unreadable file)
 * goes through a temporary file and a rename, once.
 */
final class CursorFile {
    private final Path path;
    private final byte[] name;
    private final AtomicLong replacements;
    private final byte[] slot = new byte[CursorFileDescriptor.SLOT_SIZE];
    private final ByteBuffer slotBuffer = ByteBuffer.wrap(slot);
    private final CRC32C crc = new CRC32C();
    private FileChannel channel; // null while closed
    private long generation = -1; // of the last save that returned; -1 until the file is read or made

    CursorFile(Path path, String topic, AtomicLong replacements) {
        this.path = path;
        this.name = topic.getBytes(StandardCharsets.UTF_8);
        this.replacements = replacements;
    }

    /** Saves {@code cursor} durably: in place when the file is a readable version 2 file, else by making it anew. */
    synchronized void save(Cursor cursor) throws IOException {
        if (channel == null && !reopen()) {
            replace(cursor, true);
            return;
        }
        long next = generation + 1;
        CursorFileDescriptor.encodeSlot(slot, next, name, cursor.nextSequence(), cursor.blockSeq(), cursor.offset(), crc);
        slotBuffer.clear();
        try {
            long at = CursorFileDescriptor.slotOffset(next);
            while (slotBuffer.hasRemaining()) {
                channel.write(slotBuffer, at + slotBuffer.position());
            }
            channel.force(false);
        } catch (IOException e) {
            // The generation stays: the next save rewrites the same slot, never the one holding the last save.
            if (!channel.isOpen()) {
                channel = null;
            }
            throw e;
        }
        generation = next;
    }

    /**
     * Makes the file anew, holding {@code cursor} in both slots: written to a temporary file, fsynced and
     * renamed over the old one (if {@code syncDirectory}, the directory is fsynced too; else the caller
     * does it before relying on the save). The channel stays open for the saves after it.
     */
    synchronized void replace(Cursor cursor, boolean syncDirectory) throws IOException {
        close();
        generation = -1;
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        ByteBuffer bytes = CursorFileDescriptor.encodeFile(name, cursor.nextSequence(), cursor.blockSeq(),
                cursor.offset());
        FileChannel made = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            while (bytes.hasRemaining()) {
                made.write(bytes, bytes.position());
            }
            made.force(false);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (syncDirectory) {
                Directories.sync(path.getParent());
            }
        } catch (IOException | RuntimeException e) {
            made.close();
            throw e;
        }
        replacements.incrementAndGet();
        channel = made;
        generation = 1;
    }

    /** Closes the channel; the next save opens it again. */
    synchronized void close() throws IOException {
        if (channel != null) {
            FileChannel open = channel;
            channel = null;
            open.close();
        }
    }

    /** Opens the file for saves in place; false if it must be made anew (missing, version 1, or no slot verifies). */
    private boolean reopen() throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        FileChannel opened = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (generation < 0) {
                Optional<CursorFileDescriptor.Stored> stored = opened.size() == CursorFileDescriptor.FILE_SIZE
                        ? CursorFileDescriptor.decode(readAll(opened)) : Optional.empty();
                if (stored.isEmpty() || !stored.get().inSlots()) {
                    opened.close();
                    return false;
                }
                generation = stored.get().generation();
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        channel = opened;
        return true;
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(CursorFileDescriptor.FILE_SIZE);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // read until full or end of file
        }
        return bytes.position() == bytes.capacity() ? bytes.array() : new byte[0];
    }
}
