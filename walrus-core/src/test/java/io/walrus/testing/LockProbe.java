package io.walrus.testing;

import io.walrus.Walrus;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child JVM that opens an instance directory.
 * <ul>
 *   <li>{@code try}: prints {@code OPENED} (then closes and exits) or {@code REFUSED <message>} if
 *       the open threw an IOException.</li>
 *   <li>{@code hold}: opens, appends one entry to topic {@code held}, prints {@code OPENED} and waits
 *       to be killed while holding the instance.</li>
 * </ul>
 * Arguments: dataDir mode
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        Path dir = Path.of(args[0]);
        String mode = args[1];
        Walrus wal;
        try {
            wal = TestWals.small(dir).open();
        } catch (IOException refused) {
            ChildSupport.say("REFUSED " + String.valueOf(refused.getMessage()).replace('\n', ' '));
            return;
        }
        if (mode.equals("hold")) {
            wal.appendForTopic("held", "written by the holder".getBytes());
            ChildSupport.say("OPENED");
            ChildSupport.awaitKill();
        }
        wal.close();
        ChildSupport.say("OPENED");
    }
}
