package io.walrus.log;

import io.walrus.format.DataFileNames;
import io.walrus.format.FileHeader;
import io.walrus.format.FormatDescriptor;
import io.walrus.storage.DataFile;
import io.walrus.storage.DataFiles;
import io.walrus.storage.Directories;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Creates data files, and makes them durable at the next flush rather than at once.
 *
 * <p>A new file is preallocated and its header written under a temporary name
 * ({@link DataFileNames#dataFileInCreation}), then renamed into place: a process that dies at any
 * point leaves, under a data file's name, nothing or a file with its header (the page cache keeps
 * both the header and the rename), and under the temporary name only a file that never held an
 * entry, which {@link #deleteLeftovers} removes at open.
 *
 * <p>Nothing is forced at creation: forcing the header and syncing the directory waits for the
 * file system's journal, which under heavy writeback (2 GB of dirty pages here) took up to 1.6 s.
 * Nothing needs it earlier: an entry in the file is acknowledged only after a flush, and a flush
 * forces the file (whose header was written before any entry, so it is covered) and first syncs
 * the directory if a file was created since ({@link #syncDirectoryIfCreated()}). A power loss
 * before that flush can leave the file without its header, or under its temporary name: recovery
 * sets the one aside and deletes the other, and with them only entries that were never durable.
 */
final class DataFileCreator {
    private final Path directory;
    private final DataFiles dataFiles;
    /** Set once a file is created, cleared by the directory sync that makes its name durable. */
    private final AtomicBoolean directoryUnsynced = new AtomicBoolean();
    private final Object directorySync = new Object();

    DataFileCreator(Path directory, DataFiles dataFiles) {
        this.directory = directory;
        this.dataFiles = dataFiles;
    }

    /** A new, empty data file with {@code header}, open for writing and dirty (its header is unforced). */
    LogFile create(FileHeader header) throws IOException {
        Path path = directory.resolve(DataFileNames.dataFile(header.fileSequence()));
        Path inCreation = directory.resolve(DataFileNames.dataFileInCreation(header.fileSequence()));
        ByteBuffer encoded = encode(header);
        try {
            try (DataFile io = dataFiles.create(inCreation, header.fileLength())) {
                io.write(encoded.duplicate(), 0);
            }
            directoryUnsynced.set(true); // before the file can take an entry
            Files.move(inCreation, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(inCreation, e);
            throw new IOException("could not create data file " + path + ": " + e.getMessage(), e);
        }
        DataFile io = dataFiles.open(path);
        try {
            // Again, through the file as the log keeps it: its own force must cover the header, and
            // a mapping's msync covers only the range written through that mapping.
            io.write(encoded.duplicate(), 0);
        } catch (IOException e) {
            io.close();
            throw new IOException("could not create data file " + path + ": " + e.getMessage(), e);
        }
        LogFile file = new LogFile(io, header, 0);
        file.markDirty();
        return file;
    }

    /**
     * Syncs the directory if a file was created since the last sync; part of every flush, before it
     * acknowledges anything. The check and the sync are one step under a lock, so a flush that finds
     * another's sync in progress returns only once it is done.
     */
    void syncDirectoryIfCreated() throws IOException {
        synchronized (directorySync) {
            if (!directoryUnsynced.getAndSet(false)) {
                return;
            }
            try {
                Directories.sync(directory);
            } catch (IOException e) {
                directoryUnsynced.set(true);
                throw e;
            }
        }
    }

    /** Deletes data files whose creation a crash interrupted; returns how many there were. */
    static int deleteLeftovers(Path directory) throws IOException {
        int deleted = 0;
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path path : (Iterable<Path>) listing.filter(DataFileNames::isDataFileInCreation)::iterator) {
                Files.deleteIfExists(path);
                deleted++;
            }
        }
        return deleted;
    }

    private static ByteBuffer encode(FileHeader header) {
        ByteBuffer bytes = ByteBuffer.allocate(FormatDescriptor.FILE_HEADER_SIZE);
        header.encode(bytes);
        return bytes;
    }

    private static void deleteQuietly(Path path, IOException failure) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
