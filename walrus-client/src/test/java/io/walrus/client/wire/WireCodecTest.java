package io.walrus.client.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireCodecTest {

    private static Command roundTrip(Command command) {
        return CommandCodec.decode(ByteBuffer.wrap(CommandCodec.encode(command)));
    }

    private static Reply roundTrip(Reply reply) {
        return ReplyCodec.decode(ByteBuffer.wrap(ReplyCodec.encode(reply)));
    }

    @Test
    void everyQueryWithoutPayloadsComesBackEqual() {
        for (Command command : List.of(new Command.Status(), new Command.Figures(), new Command.ListConsumers(),
                new Command.Scan("t", 7, 1 << 20, 100), new Command.Peek("c", "t", 4096, 3),
                new Command.AwaitEntry("", "t", 1500), new Command.CreateConsumer("c"),
                new Command.RemoveConsumer("c"), new Command.CheckpointRead("", "t", 64, 2))) {
            assertEquals(command, roundTrip(command));
        }
    }

    @Test
    void appendsKeepTheirBytes() {
        Command.Append append = (Command.Append) roundTrip(new Command.Append("t", bytes("one")));
        assertEquals("t", append.topic());
        assertArrayEquals(bytes("one"), append.data());
        Command.BatchAppend batch = (Command.BatchAppend) roundTrip(
                new Command.BatchAppend("t", new byte[][] {bytes("a"), new byte[0], bytes("ccc")}));
        assertEquals(3, batch.entries().length);
        assertArrayEquals(bytes("ccc"), batch.entries()[2]);
        assertArrayEquals(new byte[0], batch.entries()[1]);
    }

    @Test
    void nodeFiguresComeBackEqualWithTheirRates() {
        Reply.NodeFigures figures = new Reply.NodeFigures(10, 4_200, 268_800, 4_200, 3_500_000, 41_000_000,
                450_000, -1, 33_554_432, 67_108_864);
        Reply.NodeFigures back = (Reply.NodeFigures) roundTrip(figures);
        assertEquals(figures, back);
        assertEquals(420.0, back.appendsPerSecond());
        assertEquals(26_880.0, back.entriesPerSecond());
        assertEquals(0.0, new Reply.NodeFigures(0, 0, 0, 0, -1, -1, -1, -1, 0, 0).appendsPerSecond());
    }

    @Test
    void otherRepliesComeBackEqual() {
        for (Reply reply : List.of(new Reply.Done(), new Reply.Flag(true), new Reply.Names(List.of("a", "b")),
                new Reply.Refused("why"), new Reply.NodeState(12, List.of(new Reply.TopicState("t", 3, 1))))) {
            assertEquals(reply, roundTrip(reply));
        }
    }

    @Test
    void anUnknownOpcodeOrTrailingBytesAreRefusedAsMalformed() {
        byte[] status = CommandCodec.encode(new Command.Status());
        byte[] unknown = status.clone();
        unknown[1] = 99;
        assertThrows(MalformedMessageException.class, () -> CommandCodec.decode(ByteBuffer.wrap(unknown)));
        byte[] longer = java.util.Arrays.copyOf(status, status.length + 1);
        assertThrows(MalformedMessageException.class, () -> CommandCodec.decode(ByteBuffer.wrap(longer)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
