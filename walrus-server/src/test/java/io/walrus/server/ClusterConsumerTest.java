package io.walrus.server;

import io.walrus.Entry;
import io.walrus.WalrusConsumer;
import io.walrus.WalrusLog;
import io.walrus.client.WalrusClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cursors are replicated: a consumer reading through the leader goes on through the next leader
 * after the first is killed, skipping nothing and getting nothing twice (checkpoints are committed
 * before a read returns; a read retried after a lost answer gets the same answer from Ratis's retry
 * cache). The default consumer and a named one read side by side, single and batch reads mixed.
 */
class ClusterConsumerTest {
    private static final int ENTRIES = 400;

    @TempDir
    Path dir;

    @Test
    void consumersContinueThroughTheNextLeaderWithNoEntrySkippedOrRepeated() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3).start()) {
            WalrusClient client = cluster.client();
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < ENTRIES; i++) {
                batch.add(("e-" + i).getBytes(StandardCharsets.UTF_8));
                if (batch.size() == 100) {
                    client.batchAppendForTopic("stream", batch);
                    batch.clear();
                }
            }
            WalrusConsumer named = client.consumer("indexer");
            assertEquals(List.of("indexer"), client.consumers());
            List<String> byDefault = new ArrayList<>();
            List<String> byName = new ArrayList<>();
            TestNode killed = null;
            try {
                int round = 0;
                while (byDefault.size() < ENTRIES || byName.size() < ENTRIES) {
                    if (round == 40) {
                        killed = cluster.leader(client, "stream").orElseThrow(() -> new AssertionError("no leader"));
                        killed.kill();
                    }
                    read(client, round, byDefault);
                    read(new NamedReads(named), round, byName);
                    round++;
                    assertTrue(round < 4 * ENTRIES, "reads stopped making progress");
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < ENTRIES; i++) {
                    expected.add("e-" + i);
                }
                assertEquals(expected, byDefault, "the default consumer's reads");
                assertEquals(expected, byName, "consumer 'indexer''s reads");
                assertEquals(Optional.empty(), client.readNext("stream", true), "nothing is left after the last entry");
                killed.start();
                client.appendForTopic("barrier", new byte[1]);
                client.awaitCommittedOnEveryNode(client.lastWrites());
                int group = client.layout().groupOf("stream");
                for (var peer : client.peers()) {
                    var state = client.nodeState(peer, group, client.lastWrites().index(group));
                    long cursor = state.topics().stream().filter(t -> t.topic().equals("stream")).findFirst()
                            .orElseThrow().cursor();
                    assertEquals(ENTRIES, cursor, "default cursor on node " + peer.getId());
                }
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\nnode output:\n" + cluster.outputs(), e);
            }
        }
    }

    /** Alternates single reads, batch reads and waiting reads, with a peek before some. */
    private static void read(Reads reads, int round, List<String> into) throws Exception {
        switch (round % 3) {
            case 0 -> reads.next(Duration.ZERO).ifPresent(e -> into.add(text(e)));
            case 1 -> {
                Optional<Entry> peeked = reads.peek();
                Optional<Entry> read = reads.next(Duration.ofSeconds(1));
                if (peeked.isPresent()) {
                    assertEquals(text(peeked.get()), text(read.orElseThrow()), "a peek shows the next read");
                }
                read.ifPresent(e -> into.add(text(e)));
            }
            default -> reads.batch(40).forEach(e -> into.add(text(e)));
        }
    }

    private static String text(Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }

    private interface Reads {
        Optional<Entry> next(Duration wait) throws Exception;

        Optional<Entry> peek() throws Exception;

        List<Entry> batch(long maxBytes) throws Exception;
    }

    private static void read(WalrusLog log, int round, List<String> into) throws Exception {
        read(new Reads() {
            public Optional<Entry> next(Duration wait) throws Exception {
                return log.readNext("stream", true, wait);
            }

            public Optional<Entry> peek() throws Exception {
                return log.readNext("stream", false);
            }

            public List<Entry> batch(long maxBytes) throws Exception {
                return log.batchReadForTopic("stream", maxBytes, true);
            }
        }, round, into);
    }

    private record NamedReads(WalrusConsumer consumer) implements Reads {
        public Optional<Entry> next(Duration wait) throws Exception {
            return consumer.readNext("stream", true, wait);
        }

        public Optional<Entry> peek() throws Exception {
            return consumer.readNext("stream", false);
        }

        public List<Entry> batch(long maxBytes) throws Exception {
            return consumer.batchReadForTopic("stream", maxBytes, true);
        }
    }
}
