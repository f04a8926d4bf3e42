package io.walrus.server;

import io.walrus.client.WalrusClient;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brings about one {@link Fault} on a {@link LocalCluster} and waits until it has taken effect, by
 * conditions only: a new leader among the nodes left (asked of each node), the writers' acknowledgements
 * moving on, every node committing a barrier. Knows which node is down or cut off.
 */
final class FaultInjector {
    private static final long EFFECT_SECONDS = 120;
    /** Acknowledged appends that show the cluster commits again after a fault. */
    private static final int PROGRESS = 10;
    private static final long POLL_MILLIS = 50;
    /** The longest a restarted node runs before an interrupted restart kills it (drawn from 0 to this). */
    private static final int INTERRUPT_WITHIN_MILLIS = 2_000;

    private final LocalCluster cluster;
    private final WalrusClient control;
    private final ControlWrites controlWrites;
    private final Progress acks;
    private final Random random;
    private final List<TestNode> down = new ArrayList<>();
    private TestNode isolated;

    FaultInjector(LocalCluster cluster, WalrusClient control, ControlWrites controlWrites, Progress acks, Random random) {
        this.cluster = cluster;
        this.control = control;
        this.controlWrites = controlWrites;
        this.acks = acks;
        this.random = random;
    }

    Fault.Health health() {
        return !down.isEmpty() ? Fault.Health.ONE_DOWN : isolated != null ? Fault.Health.ONE_ISOLATED : Fault.Health.ALL_UP;
    }

    /** The Raft group whose leader and followers the fault in progress is about (drawn per fault). */
    private int group;

    /**
     * Injects {@code fault} and waits for its effect; what was done, for the campaign's log. "The
     * leader" is that of a group drawn from the seed (each node leads a group when all are up).
     */
    String inject(Fault fault) throws Exception {
        group = random.nextInt(control.layout().count());
        return "group " + group + ": " + switch (fault) {
            case KILL_LEADER -> {
                TestNode leader = leader(up());
                kill(leader);
                TestNode next = leader(up());
                awaitProgress("after the leader " + leader.id + " was killed");
                yield "killed leader " + leader.id + ", " + next.id + " leads";
            }
            case KILL_FOLLOWER -> {
                TestNode follower = anyFollower();
                kill(follower);
                awaitProgress("after follower " + follower.id + " was killed");
                yield "killed follower " + follower.id;
            }
            case ISOLATE_LEADER -> {
                TestNode leader = leader(up());
                isolate(leader);
                TestNode next = leader(others(leader));
                awaitProgress("after the leader " + leader.id + " was cut off");
                yield "cut off leader " + leader.id + ", " + next.id + " leads";
            }
            case ISOLATE_FOLLOWER -> {
                TestNode follower = anyFollower();
                isolate(follower);
                awaitProgress("after follower " + follower.id + " was cut off");
                yield "cut off follower " + follower.id;
            }
            case MAJORITY_DOWN -> {
                TestNode leader = leader(up());
                TestNode follower = anyFollower();
                kill(leader);
                kill(follower);
                controlWrites.probeFails();
                restart(List.copyOf(down));
                yield "killed leader " + leader.id + " and follower " + follower.id + ", an append failed, restarted both";
            }
            case RESTART -> {
                TestNode node = down.getFirst();
                restart(List.of(node));
                yield "restarted " + node.id;
            }
            case INTERRUPTED_RESTART -> {
                TestNode node = down.getFirst();
                int after = random.nextInt(INTERRUPT_WITHIN_MILLIS);
                node.launch();
                // The kill's moment is the fault itself (during JVM start, log replay or catch-up), not a wait for anything.
                Thread.sleep(after);
                node.kill();
                restart(List.of(node));
                yield "restarted " + node.id + ", killed it " + after + " ms into its start, restarted it";
            }
            case HEAL -> {
                TestNode node = isolated;
                long held = heal();
                yield "healed " + node.id + " (it held " + held + " Raft requests)";
            }
            case KILL_ISOLATED -> {
                TestNode node = isolated;
                kill(node);
                // Nothing is left to cut off: the others stop holding its requests, so it restarts as any dead node.
                cluster.heal();
                isolated = null;
                awaitProgress("after the cut-off " + node.id + " was killed");
                yield "killed cut-off " + node.id;
            }
        };
    }

    /** Heals any cut and restarts any dead node; returns once every node has committed a barrier. */
    void restoreAll() throws Exception {
        if (isolated != null) {
            heal();
        }
        if (!down.isEmpty()) {
            restart(List.copyOf(down));
        }
    }

    private void kill(TestNode node) {
        node.kill();
        down.add(node);
    }

    private void isolate(TestNode node) {
        cluster.isolate(node);
        isolated = node;
    }

    /** Ends the cut; the requests the cut-off node held (a cut that held none cut nothing: the test fails). */
    private long heal() throws IOException, InterruptedException {
        Map<String, Long> held = cluster.heal();
        long byIsolated = held.getOrDefault(isolated.id, 0L);
        assertTrue(byIsolated > 0, "node " + isolated.id + " held no Raft request while it was cut off ("
                + held + "): the cut did not take");
        isolated = null;
        controlWrites.barrier();
        return byIsolated;
    }

    /** Starts the nodes together and waits until each serves and every node committed a barrier. */
    private void restart(List<TestNode> nodes) throws IOException, InterruptedException {
        for (TestNode node : nodes) {
            node.launch();
        }
        for (TestNode node : nodes) {
            node.awaitReady();
            down.remove(node);
        }
        controlWrites.barrier();
    }

    private void awaitProgress(String when) throws InterruptedException {
        acks.awaitAtLeast(acks.get() + PROGRESS, EFFECT_SECONDS, PROGRESS + " acknowledged appends " + when);
    }

    private List<TestNode> up() {
        return cluster.nodes.stream().filter(n -> !down.contains(n) && n != isolated).toList();
    }

    private List<TestNode> others(TestNode node) {
        return up().stream().filter(n -> n != node).toList();
    }

    private TestNode anyFollower() throws Exception {
        List<TestNode> followers = others(leader(up()));
        return followers.get(random.nextInt(followers.size()));
    }

    /** The node among {@code candidates} that reports itself leader, once one does. */
    private TestNode leader(List<TestNode> candidates) throws Exception {
        long deadline = System.nanoTime() + EFFECT_SECONDS * 1_000_000_000L;
        while (true) {
            Optional<TestNode> leader = candidates.stream().filter(this::leads).findFirst();
            if (leader.isPresent()) {
                return leader.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("none of " + candidates + " became leader within " + EFFECT_SECONDS + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private boolean leads(TestNode node) {
        RaftPeer peer = control.peers().stream().filter(p -> p.getId().toString().equals(node.id)).findFirst()
                .orElseThrow();
        try {
            return control.groupInfo(peer, group).getRoleInfoProto().getRole() == RaftPeerRole.LEADER;
        } catch (IOException e) {
            return false;
        }
    }
}
