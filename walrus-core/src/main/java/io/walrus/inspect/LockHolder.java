package io.walrus.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which process holds an instance directory's lock, found without touching the lock: taking it,
 * even shared and for an instant, could make a writer starting at that moment fail to open. On
 * Linux the kernel lists every fcntl lock in {@code /proc/locks} with its holder's pid and the
 * locked file's device and inode; elsewhere the answer is "cannot tell".
 */
final class LockHolder {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private LockHolder() {
    }

    static OptionalLong of(Path lockFile) {
        if (!Files.isReadable(PROC_LOCKS) || !Files.exists(lockFile)) {
            return OptionalLong.empty();
        }
        try {
            long inode = ((Number) Files.getAttribute(lockFile, "unix:ino")).longValue();
            long device = ((Number) Files.getAttribute(lockFile, "unix:dev")).longValue();
            return holder(Files.readAllLines(PROC_LOCKS), inode, major(device), minor(device));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Finds the lock on that inode in lines like {@code 1: POSIX  ADVISORY  WRITE 4242 08:01:1311 0 EOF}
     * (device as hex major:minor, inode in decimal; a blocked waiter's line has {@code ->} after the number).
     */
    static OptionalLong holder(List<String> procLocks, long inode, long major, long minor) {
        for (String line : procLocks) {
            String[] fields = line.trim().split("\\s+");
            int at = 1;
            if (fields.length > at && fields[at].equals("->")) {
                continue; // waiting for a lock, not holding one
            }
            if (fields.length < at + 5) {
                continue;
            }
            String[] id = fields[at + 4].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                if (Long.parseLong(id[2]) == inode && Long.parseLong(id[0], 16) == major
                        && Long.parseLong(id[1], 16) == minor) {
                    return OptionalLong.of(Long.parseLong(fields[at + 3]));
                }
            } catch (NumberFormatException notALockLine) {
                // a format this code does not know: no answer rather than a wrong one
            }
        }
        return OptionalLong.empty();
    }

    /** glibc's gnu_dev_major / gnu_dev_minor for a Linux dev_t. */
    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
