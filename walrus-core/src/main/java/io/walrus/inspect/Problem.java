package io.walrus.inspect;

/**
 * Something {@link LogInspector#verify()} found. Fields that do not apply are null or -1.
 *
 * @param severity what it means for the data
 * @param topic    the topic concerned, or null for a file-level problem
 * @param file     the data file (or cursor file) concerned, or null
 * @param block    the block's index in the file, or -1
 * @param offset   the byte offset from the start of the block, or -1
 * @param sequence the entry's sequence number, or -1
 * @param message  what is wrong, and what recovery would do about it
 */
public record Problem(Severity severity, String topic, String file, int block, int offset, long sequence,
                      String message) {

    /** How bad a problem is. */
    public enum Severity {
        /**
         * Intact data would be lost, or bytes that should verify do not: a flipped bit, a truncated
         * file, anything wrong in a directory that was closed cleanly.
         */
        DAMAGE,
        /**
         * What a crash (or a writer at work right now) leaves and recovery handles by design: a torn
         * last entry, a batch whose end never reached the disk, blocks a recovery erased.
         */
        NOTE
    }
}
