package io.walrus.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One flush of an instance's data files: every file written since the last one is forced (fdatasync). */
@Name("io.walrus.Flush")
@Label("Walrus Flush")
@Category("Walrus")
@Description("Data files forced to stable storage by group commit, the periodic flusher or close")
@StackTrace(false)
public final class FlushEvent extends jdk.jfr.Event {
    @Label("Directory")
    public String directory;

    @Label("Files Forced")
    @Description("Data files that were dirty and got an fdatasync")
    public int files;

    @Label("Failed")
    public boolean failed;
}
