package io.walrus.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The deletion of a data file whose entries every consumer that counts has consumed, by the
 * instance's background reclaimer (or {@code WriteAheadLog.reclaimConsumedFiles()}).
 */
@Name("io.walrus.Deletion")
@Label("Walrus Deletion")
@Category("Walrus")
@Description("A data file deleted because every entry in it was consumed")
@StackTrace(false)
public final class DeletionEvent extends jdk.jfr.Event {
    @Label("Directory")
    public String directory;

    @Label("File")
    public String file;

    @Label("Blocks")
    public int blocks;

    @Label("File Size")
    @DataAmount
    public long bytes;
}
