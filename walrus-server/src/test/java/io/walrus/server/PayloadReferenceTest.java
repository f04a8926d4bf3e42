package io.walrus.server;

import io.walrus.client.wire.Command;
import io.walrus.client.wire.CommandCodec;

import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadReferenceTest {

    @Test
    void aReferenceReadsBackAsWrittenAndIsToldFromACommand() {
        PayloadReference batch = new PayloadReference("tópic", 64, true);
        ByteBuffer bytes = ByteBuffer.wrap(batch.encode());
        assertTrue(PayloadReference.isReference(bytes));
        assertEquals(batch, PayloadReference.decode(bytes));
        assertEquals(new PayloadReference("t", 1, false),
                PayloadReference.decode(ByteBuffer.wrap(new PayloadReference("t", 1, false).encode())));
        assertFalse(PayloadReference.isReference(ByteBuffer.wrap(CommandCodec.encode(new Command.CreateConsumer("c")))));
    }

    @Test
    void damagedReferencesAreRefused() {
        byte[] bytes = new PayloadReference("topic", 2, true).encode();
        assertThrows(IllegalArgumentException.class, () -> PayloadReference.decode(ByteBuffer.wrap(bytes, 0, bytes.length - 1)));
        byte[] single = new PayloadReference("topic", 1, false).encode();
        single[5] = 2; // a single append of two entries
        assertThrows(IllegalArgumentException.class, () -> PayloadReference.decode(ByteBuffer.wrap(single)));
        byte[] kind = bytes.clone();
        kind[1] = 9;
        assertThrows(IllegalArgumentException.class, () -> PayloadReference.decode(ByteBuffer.wrap(kind)));
    }

    @Test
    void aTagSaysWhichLogEntryAPayloadCameIn() {
        byte[] stored = PayloadTag.tagged(3, 41, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(PayloadTag.BYTES + 5, stored.length);
        assertTrue(PayloadTag.isFrom(stored, TermIndex.valueOf(3, 41)));
        assertFalse(PayloadTag.isFrom(stored, TermIndex.valueOf(4, 41)));
        assertFalse(PayloadTag.isFrom(stored, TermIndex.valueOf(3, 42)));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), PayloadTag.payload(stored));
        assertThrows(IllegalStateException.class, () -> PayloadTag.payload(new byte[3]));
    }
}
