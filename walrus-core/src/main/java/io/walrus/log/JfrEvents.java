package io.walrus.log;

import io.walrus.jfr.BatchWriteEvent;
import io.walrus.jfr.RecoveryEvent;

import java.nio.file.Path;

/** Fills in and commits the engine's JFR events; the fields are only computed when a recording wants them. */
final class JfrEvents {
    private JfrEvents() {
    }

    static void commit(RecoveryEvent event, Path directory, boolean clean, Recovery.Result recovered) {
        if (event.shouldCommit()) {
            event.directory = directory.toString();
            event.cleanShutdown = clean;
            event.files = recovered.files().size();
            event.topics = recovered.topics().size();
            event.entries = recovered.entries();
            event.commit();
        }
    }

    static void commit(BatchWriteEvent event, String topic, byte[][] entries, boolean failed) {
        if (event.shouldCommit()) {
            long bytes = 0;
            for (byte[] entry : entries) {
                bytes += entry.length;
            }
            event.topic = topic;
            event.entries = entries.length;
            event.bytes = bytes;
            event.failed = failed;
            event.commit();
        }
    }
}
