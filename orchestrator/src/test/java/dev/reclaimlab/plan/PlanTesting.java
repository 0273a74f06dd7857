package dev.reclaimlab.plan;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reclaimlab.yaml.ConfigException;
import dev.reclaimlab.yaml.Location;
import dev.reclaimlab.yaml.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes plans to real files and loads them; problems are rendered with the bare file name. */
final class PlanTesting {
    private PlanTesting() {}

    static Path write(Path dir, String yaml) {
        try {
            Path file = dir.resolve("plan.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PlanFile load(Path dir, String yaml) throws ConfigException {
        return PlanLoader.load(write(dir, yaml));
    }

    /** The problems of a plan that must not load, as {@code plan.yaml:line:col: message}. */
    static List<String> problems(Path dir, String yaml) {
        Path file = write(dir, yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> PlanLoader.load(file));
        return rendered(e);
    }

    static List<String> rendered(ConfigException e) {
        return e.problems().stream().map(PlanTesting::shortName).map(Problem::render).toList();
    }

    private static Problem shortName(Problem p) {
        Location at = p.at();
        return new Problem(new Location(at.file().getFileName(), at.line(), at.column()), p.message());
    }
}
