package dev.reclaimlab.yaml;

import java.nio.file.Path;

/** Where a value came from in a user's file, so every complaint can point at it: {@code plan.yaml:12:7}. */
public record Location(Path file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
