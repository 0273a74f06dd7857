package dev.reclaimlab.yaml;

import java.nio.file.Path;

/**
 * Where a value came from in a user's file, so every complaint can point at it: {@code plan.yaml:12:7}. A value given
 * on the command line has the option and its argument as its "file" ({@code -p pods=ten}), and says the column.
 */
public record Location(Path file, int line, int column) {
    @Override
    public String toString() {
        if (file.toString().startsWith("-")) {
            return file + " (column " + column + ")";
        }
        return file + ":" + line + ":" + column;
    }
}
