package io.walrus.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Opening an instance directory: reading every data file and verifying every topic's entries. */
@Name("io.walrus.Recovery")
@Label("Walrus Recovery")
@Category("Walrus")
@Description("Rebuilding an instance from its directory when it is opened")
@StackTrace(false)
public final class RecoveryEvent extends jdk.jfr.Event {
    @Label("Directory")
    public String directory;

    @Label("Clean Shutdown")
    @Description("Whether the last close was clean; if not, recovery cut and sealed what a crash left")
    public boolean cleanShutdown;

    @Label("Data Files")
    public int files;

    @Label("Topics")
    public int topics;

    @Label("Entries")
    public long entries;
}
