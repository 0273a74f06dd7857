package dev.reclaimlab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Checked-in test data that stands for what lab writes (each folder has a README saying where it comes from). */
public final class Fixtures {
    private Fixtures() {}

    /**
     * A real {@code lab run} of playbooks/swappiness.yaml, 5 repeats per variant, made small, with ANON events of
     * 11, 11, 457, 502, 516 at swappiness 100 against five zeros at 0.
     */
    public static Path swappinessRun() {
        return Path.of("src/test/resources/runs/swappiness-5x2").toAbsolutePath();
    }

    /** A writable copy of the swappiness run under {@code dir}, for tests that damage or doctor a run directory. */
    public static Path swappinessRunCopy(Path dir) throws IOException {
        Path source = swappinessRun();
        Path target = dir.resolve(source.getFileName());
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(file -> {
                try {
                    Files.copy(file, target.resolve(source.relativize(file).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return target;
    }
}
