package io.walrus.server;

import io.walrus.client.GroupLayout;

/**
 * The topics one Raft group holds: those {@link GroupLayout#groupOf} puts in it. A group refuses
 * any other topic, so a client that placed a topic elsewhere (another layout, a bug) writes nothing
 * to the wrong group instead of splitting the topic over two.
 *
 * @param layout the cluster's groups; null: this group holds every topic (a state machine on its own)
 * @param index  this group's index in {@code layout}
 */
record GroupTopics(GroupLayout layout, int index) {
    /** Every topic: a state machine not placed in a layout (tests that run one on its own). */
    static final GroupTopics ALL = new GroupTopics(null, 0);

    GroupTopics {
        if (layout != null) {
            java.util.Objects.checkIndex(index, layout.count());
        }
    }

    /** Null if this group holds {@code topic}, else why not (for the refusal). */
    String refusal(String topic) {
        if (layout == null) {
            return null;
        }
        int owner = layout.groupOf(topic);
        return owner == index ? null : "topic '" + topic + "' belongs to Raft group " + owner + " of "
                + layout.count() + ", not to group " + index + " (a client that places topics differently?)";
    }
}
