package io.walrus.server;

import java.util.Random;

/**
 * One step of the cluster fault campaign, and which may come next: from a healthy cluster a fault
 * that leaves a majority working (or, rarely, one that takes the majority away for a moment and
 * gives it back), from a cluster with one node down or cut off a step that repairs it (or kills the
 * cut-off node). Never more than one node out at a time otherwise.
 */
enum Fault {
    KILL_LEADER("SIGKILL the leader"),
    KILL_FOLLOWER("SIGKILL a follower"),
    ISOLATE_LEADER("cut the leader off from the others"),
    ISOLATE_FOLLOWER("cut a follower off from the others"),
    MAJORITY_DOWN("SIGKILL the leader and a follower, check an append fails, restart both"),
    RESTART("restart the dead node"),
    INTERRUPTED_RESTART("restart the dead node, SIGKILL it while it starts, restart it"),
    HEAL("heal the cut"),
    KILL_ISOLATED("SIGKILL the cut-off node");

    /** What a cluster looks like between two steps. */
    enum Health { ALL_UP, ONE_DOWN, ONE_ISOLATED }

    final String description;

    Fault(String description) {
        this.description = description;
    }

    /**
     * The next step for a cluster in {@code health}, drawn from {@code random}; with {@code cuts}
     * false, no node is cut off (kills, restarts and majorities down only).
     */
    static Fault next(Health health, Random random, boolean cuts) {
        int draw = random.nextInt(20);
        return switch (health) {
            case ALL_UP -> !cuts ? (draw < 10 ? KILL_LEADER : draw < 18 ? KILL_FOLLOWER : MAJORITY_DOWN)
                    : draw < 6 ? KILL_LEADER : draw < 10 ? KILL_FOLLOWER : draw < 14 ? ISOLATE_LEADER
                    : draw < 18 ? ISOLATE_FOLLOWER : MAJORITY_DOWN;
            case ONE_DOWN -> draw < 15 ? RESTART : INTERRUPTED_RESTART;
            case ONE_ISOLATED -> draw < 15 ? HEAL : KILL_ISOLATED;
        };
    }
}
