package dev.reclaimlab.testing;

import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.step.Journal;
import dev.reclaimlab.step.Owner;
import dev.reclaimlab.step.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lib.sh run for real on this machine under one of the shells hosts have: Debian's dash with coreutils, or busybox sh
 * with nothing but busybox's own tools on PATH (what a lab vm guest has). The journal lives in a temporary folder,
 * so nothing here needs root or touches the machine's own state unless a test points it there.
 */
public final class LibShRunner {
    /** A shell to run lib.sh with, and the tools it finds. */
    public enum Kind {
        DASH, BUSYBOX
    }

    /** What a script did. */
    public record Result(int exit, String out, String err) {
        public Result ok() {
            assertEquals(0, exit, "exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    private final Kind kind;
    private final Path dir;
    private final Journal journal;
    private int entries;

    /** A shell working in {@code dir}, with a journal (lib.sh installed) at {@code dir/journal}. */
    public LibShRunner(Kind kind, Path dir) throws IOException {
        this(kind, dir, Journal.of(dir.toString()));
        Files.createDirectories(dir.resolve("journal"));
        Files.writeString(dir.resolve("journal/lib.sh"), HostScripts.library());
    }

    private LibShRunner(Kind kind, Path dir, Journal journal) {
        this.kind = kind;
        this.dir = dir;
        this.journal = journal;
    }

    /** A shell for the run whose folder will be {@code runDir}: its journal is there once {@link #begin} made it. */
    public static LibShRunner forRun(Kind kind, Path dir, Path runDir) throws IOException {
        Files.createDirectories(dir);
        return new LibShRunner(kind, dir, Journal.of(runDir.toString()));
    }

    /** The run's first step, as a run sends it: its folder in {@code base}, the journal, the watchdog. */
    public Result begin(Path base, Duration watchdog, boolean shared) throws Exception {
        String runDir = journal.dir().substring(0, journal.dir().length() - "/journal".length());
        Step begin = journal.begin(HostScripts.library(), base.toString(), runDir, watchdog, shared,
                new Owner("test", ProcessHandle.current().pid(), "2026-01-01T00:00:00Z"));
        return exec(begin.command(), begin.stdin().orElseThrow());
    }

    public Journal journal() {
        return journal;
    }

    /** Runs {@code script} with lib.sh sourced, outside any step (no journal entry). */
    public Result run(String script) throws Exception {
        return exec(journal.preamble() + "\n" + script, "");
    }

    /**
     * Runs {@code step} exactly as a run does: the script {@link Journal#script} makes, its undo journaled as the
     * next entry first.
     */
    public Result step(Step step) throws Exception {
        String entry = step.undo().isPresent() ? Journal.entryName(++entries, step.id()) : null;
        return exec(journal.script(step, entry), step.stdin().orElse(""));
    }

    /** {@code lab cleanup} of this run, with or without {@code --force}. */
    public Result cleanup(boolean force) throws Exception {
        return exec(journal.cleanupScript(force), "");
    }

    /** The end of a run: every entry undone, newest first, then the journal removed. */
    public Result teardown() throws Exception {
        return exec(journal.teardownScript(Journal.TEARDOWN_ALL), "");
    }

    private Result exec(String script, String stdin) throws Exception {
        List<String> argv = new ArrayList<>(kind == Kind.DASH ? List.of(Prerequisites.require("dash"), "-c")
                : List.of(Prerequisites.require("busybox"), "sh", "-c"));
        argv.add(script);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        if (kind == Kind.BUSYBOX) {
            builder.environment().put("PATH", busyboxOnly().toString());
        }
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script finishes");
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    /** A folder of busybox applets, so the busybox runs find no coreutils at all. */
    private Path busyboxOnly() throws IOException, InterruptedException {
        Path bin = dir.resolve("busybox-bin");
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        String busybox = Prerequisites.require("busybox");
        Process list = new ProcessBuilder(busybox, "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!applet.isBlank() && !applet.contains("/")) {
                Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of(busybox));
            }
        }
        list.waitFor();
        return bin;
    }
}
