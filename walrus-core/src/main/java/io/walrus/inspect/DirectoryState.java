package io.walrus.inspect;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How an instance directory was left.
 *
 * @param directory     the instance directory
 * @param cleanShutdown whether its last instance was closed cleanly (the {@code CLEAN} marker); false
 *                      while an instance has it open, and after a crash
 * @param lockHolder    the process holding its lock right now, where the operating system says
 *                      (Linux: {@code /proc/locks}); empty if none does or it cannot be told
 */
public record DirectoryState(Path directory, boolean cleanShutdown, OptionalLong lockHolder) {
}
