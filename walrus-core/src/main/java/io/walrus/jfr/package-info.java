/**
 * The library's JDK Flight Recorder events. They are on whenever a recording is (no setting in
 * Walrus), cost nothing when none is, and show up in {@code jfr print --categories Walrus}.
 * Events carry no stack trace: the operation itself is the story.
 */
package io.walrus.jfr;
