package io.walrus.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One batch append, from the call to its return (so under syncEach it includes the wait for the flush). */
@Name("io.walrus.BatchWrite")
@Label("Walrus Batch Write")
@Category("Walrus")
@Description("An atomic batch append to one topic")
@StackTrace(false)
public final class BatchWriteEvent extends jdk.jfr.Event {
    @Label("Topic")
    public String topic;

    @Label("Entries")
    public int entries;

    @Label("Payload Bytes")
    @DataAmount
    public long bytes;

    @Label("Failed")
    public boolean failed;
}
