package dev.reclaimlab.cli;

import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The work lab's class-data sharing archive is made from: the launcher runs the JVM once with
 * {@code -XX:ArchiveClassesAtExit} and {@code -Dlab.cds.training=true}, and the classes the quick commands load (help,
 * validate, plan, analyze of a small trace) are then mapped ready-made at every later start instead of read, checked
 * and linked again. Nothing here touches a host: the plan is only validated and printed, the trace is one of our own.
 */
final class StartupTraining {
    static final String PROPERTY = "lab.cds.training";

    private StartupTraining() {}

    /** True when this JVM was started to train the archive. */
    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    static void run() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("lab-cds-training");
            Path plan = extract("plan.yaml", dir);
            Path trace = extract("trace.txt", dir);
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(OutputStream.nullOutputStream()));
            for (List<String> args : List.of(List.of("--version"), List.of("--help"), List.of("plan", "--help"),
                    List.of("validate", plan.toString()), List.of("plan", plan.toString()),
                    List.of("analyze", trace.toString()), List.of("analyze", "--json", trace.toString()),
                    List.of("validate", dir.resolve("missing.yaml").toString()))) {
                LabCommand.execute(args.toArray(String[]::new));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            System.setOut(out);
            System.setErr(err);
            delete(dir);
        }
    }

    private static Path extract(String name, Path dir) throws IOException {
        try (InputStream in = StartupTraining.class.getResourceAsStream("/training/" + name)) {
            if (in == null) {
                throw new IOException("/training/" + name + " is missing from the lab jar");
            }
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Trees.delete(dir);
        } catch (IOException ignored) {
            // a temporary folder left behind is all
        }
    }
}
