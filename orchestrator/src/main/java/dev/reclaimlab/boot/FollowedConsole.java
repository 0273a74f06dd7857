package dev.reclaimlab.boot;

import java.nio.file.Path;

/**
 * A host's console kept coming into a file on this machine while a run's iterations go on, so that a kernel that
 * goes down under a workload is read there (a console command such as {@code ipmitool sol activate} runs until this
 * is closed; a console that is a file fills by itself).
 */
public interface FollowedConsole extends AutoCloseable {
    /** The file the console grows into. */
    Path log();

    /** Stops following (a console command ends); the file stays. */
    @Override
    void close();

    /** A console that is a file filling by itself: nothing to start or stop. */
    static FollowedConsole file(Path log) {
        return new FollowedConsole() {
            @Override
            public Path log() {
                return log;
            }

            @Override
            public void close() {
            }
        };
    }
}
