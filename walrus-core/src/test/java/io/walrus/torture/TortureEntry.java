package io.walrus.torture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A self-describing payload: which topic and index it is, and which batch it was appended in, then
 * padding that follows from those. Any payload read back can be checked on its own (no garbage, no
 * phantom) and placed (order, batch completeness), so a checker needs no record of what was written.
 *
 * <p>Text form: {@code <topic>#<index>@<batchStart>+<batchSize>|} and 0 to 699 bytes of padding. A
 * single append is a batch of one.
 */
record TortureEntry(String topic, long index, long batchStart, int batchSize) {
    private static final int MAX_PADDING = 700;

    byte[] encode() {
        byte[] head = (topic + "#" + index + "@" + batchStart + "+" + batchSize + "|").getBytes(StandardCharsets.UTF_8);
        int padding = Math.floorMod(index * 2_654_435_761L + topic.hashCode(), MAX_PADDING);
        byte[] payload = Arrays.copyOf(head, head.length + padding);
        for (int k = 0; k < padding; k++) {
            payload[head.length + k] = (byte) ('a' + Math.floorMod(index + k, 26));
        }
        return payload;
    }

    /** The entry a payload claims to be, if it is exactly that entry's payload; otherwise a description of what is wrong. */
    static TortureEntry decode(byte[] payload) throws BadPayload {
        int bar = 0;
        while (bar < payload.length && payload[bar] != '|') {
            bar++;
        }
        String head = new String(payload, 0, Math.min(bar, 200), StandardCharsets.UTF_8);
        TortureEntry entry;
        try {
            int hash = head.lastIndexOf('#');
            int at = head.indexOf('@', hash);
            int plus = head.indexOf('+', at);
            entry = new TortureEntry(head.substring(0, hash), Long.parseLong(head.substring(hash + 1, at)),
                    Long.parseLong(head.substring(at + 1, plus)), Integer.parseInt(head.substring(plus + 1)));
        } catch (RuntimeException e) {
            throw new BadPayload("unparseable payload '" + head + "' (" + payload.length + " bytes)");
        }
        if (!Arrays.equals(payload, entry.encode())) {
            throw new BadPayload("payload of " + head + " (" + payload.length + " bytes) differs from what was written");
        }
        return entry;
    }

    @Override
    public String toString() {
        return topic + "#" + index + (batchSize > 1 ? " (batch " + batchStart + "+" + batchSize + ")" : "");
    }

    /** A payload that is not what any append wrote: garbage or a phantom. */
    static final class BadPayload extends Exception {
        BadPayload(String message) {
            super(message);
        }
    }
}
