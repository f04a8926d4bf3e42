package io.walrus.testing;

import io.walrus.Walrus;

import java.nio.charset.StandardCharsets;

/**
 * Child JVM that opens an instance the way a user relying on the environment would, with
 * {@code Walrus.open()} or {@code Walrus.openForKey(key)}, appends one entry, prints
 * {@code DIR <instance directory>}, closes and returns from main (so it exits only if close
 * stopped every non-daemon thread).
 *
 * <p>Arguments: {@code open topic text} or {@code openForKey key topic text}
 */
public final class EnvOpener {
    private EnvOpener() {
    }

    public static void main(String[] args) throws Exception {
        ChildSupport.watchParent();
        boolean forKey = args[0].equals("openForKey");
        int next = forKey ? 2 : 1;
        String topic = args[next];
        byte[] text = args[next + 1].getBytes(StandardCharsets.UTF_8);
        try (Walrus wal = forKey ? Walrus.openForKey(args[1]) : Walrus.open()) {
            wal.appendForTopic(topic, text);
            ChildSupport.say("DIR " + wal.directory());
        }
        ChildSupport.say("CLOSED");
    }
}
