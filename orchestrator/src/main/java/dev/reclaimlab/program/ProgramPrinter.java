package dev.reclaimlab.program;

import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.Journal;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import java.io.PrintStream;

/** Prints a compiled program as {@code lab plan} shows it: every command and its undo, in the order they run. */
public final class ProgramPrinter {
    private ProgramPrinter() {}

    public static void print(PrintStream out, HostProgram program) {
        out.println("# every command runs after: " + program.layout().journal().preamble());
        out.println("\n## prepare");
        program.prepare().forEach(step -> print(out, step));
        program.install().forEach(step -> print(out, step));
        for (Upload upload : program.uploads()) {
            out.printf("- upload: %s%n    %s -> %s%n", upload.description(), upload.localPath(), upload.remotePath());
        }
        for (IterationProgram iteration : program.iterations()) {
            out.printf("%n## %s, repeat %d  (host dir %s)%n", iteration.variant().label(), iteration.repeat(),
                    iteration.remoteDir());
            out.println("### setup");
            iteration.setup().forEach(step -> print(out, step));
            out.println("### run");
            iteration.run().forEach(step -> print(out, step));
            out.println("### collect");
            for (Fetch fetch : iteration.fetches()) {
                out.printf("  fetch %s -> %s%s%n", fetch.remotePath(), fetch.localPath(),
                        fetch.optional() ? " (if present)" : "");
            }
            out.println("### teardown: the undo entries of this iteration, newest first (lab_teardown)");
        }
        out.println("\n## end: the rest of the journal, newest first, then the journal itself (lab_teardown && lab_finish)");
    }

    private static void print(PrintStream out, Step step) {
        out.printf("- %s: %s (timeout %ss)%n", step.id(), step.description(), step.timeout().toSeconds());
        for (String line : step.command().split("\n")) {
            out.println("    $ " + line);
        }
        step.stdin().ifPresent(s -> out.println(step.id().equals(Journal.INSTALL_STEP)
                ? "    (stdin: lib.sh; lab plan --show-library prints it)"
                : "    (stdin: " + s.lines().count() + " lines)"));
        step.undo().ifPresent(undo -> out.println("    undo: " + undo.replace("\n", "\n          ")));
    }
}
