package io.walrus.cli;

import io.walrus.inspect.StoredEntry;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** How dump and tail print an entry. */
enum EntryFormat {
    /** {@code <sequence>  <payload as text>}, one line per entry; control characters and bytes that are not UTF-8 escaped. */
    text {
        @Override
        void print(PrintWriter out, String topic, long sequence, byte[] payload, Where where) {
            out.println(sequence + "  " + escaped(payload));
        }
    },
    /** A header line with where the entry lies, then a hex dump of the payload. */
    hex {
        @Override
        void print(PrintWriter out, String topic, long sequence, byte[] p, Where where) {
            out.println("entry " + sequence + ", " + p.length + " bytes" + (where == null ? ""
                    : ", file " + where.file() + " block " + where.block() + " offset " + where.offset()));
            for (int row = 0; row < p.length; row += 16) {
                StringBuilder hexPart = new StringBuilder();
                StringBuilder textPart = new StringBuilder();
                for (int i = row; i < row + 16; i++) {
                    if (i < p.length) {
                        hexPart.append(String.format("%02x ", p[i] & 0xff));
                        textPart.append(p[i] >= 0x20 && p[i] < 0x7f ? (char) p[i] : '.');
                    } else {
                        hexPart.append("   ");
                    }
                    if (i == row + 7) {
                        hexPart.append(' ');
                    }
                }
                out.println(String.format("  %08x  %s |%s|", row, hexPart, textPart));
            }
        }
    },
    /**
     * One JSON object per line: topic, sequence, where it lies (not for a cluster's entries), length,
     * the payload in base64 and, if it is UTF-8, as text.
     */
    json {
        @Override
        void print(PrintWriter out, String topic, long sequence, byte[] payload, Where where) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("topic", topic);
            object.put("sequence", sequence);
            if (where != null) {
                object.put("file", where.file());
                object.put("block", where.block());
                object.put("offset", where.offset());
            }
            object.put("length", payload.length);
            object.put("text", utf8(payload));
            object.put("base64", Base64.getEncoder().encodeToString(payload));
            out.println(Json.write(object));
        }
    };

    /** Where an entry lies in a data directory. */
    record Where(String file, int block, int offset) {
    }

    /** An entry read from a data directory, with where it lies. */
    void print(PrintWriter out, StoredEntry entry) {
        print(out, entry.topic(), entry.sequence(), entry.payload(), new Where(entry.file(), entry.block(), entry.offset()));
    }

    /** An entry read from a cluster: its nodes do not say where they keep it. */
    void print(PrintWriter out, String topic, long sequence, byte[] payload) {
        print(out, topic, sequence, payload, null);
    }

    /** {@code where} is null for an entry read from a cluster. */
    abstract void print(PrintWriter out, String topic, long sequence, byte[] payload, Where where);

    /** The payload decoded as UTF-8, or null when it is not valid UTF-8. */
    static String utf8(byte[] payload) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            return chars.toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }

    /** Text on one line: backslash, newline, tab and other control characters escaped; non-UTF-8 bytes as \xNN. */
    static String escaped(byte[] payload) {
        String text = utf8(payload);
        StringBuilder out = new StringBuilder(payload.length + 8);
        if (text == null) {
            for (byte b : payload) {
                int c = b & 0xff;
                if (c == '\\') {
                    out.append("\\\\");
                } else if (c >= 0x20 && c < 0x7f) {
                    out.append((char) c);
                } else {
                    out.append(String.format("\\x%02x", c));
                }
            }
            return out.toString();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
