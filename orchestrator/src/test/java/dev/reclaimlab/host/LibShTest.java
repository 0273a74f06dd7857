package dev.reclaimlab.host;

import dev.reclaimlab.report.MonitorSummary;
import dev.reclaimlab.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lib.sh's functions, run for real under the shells hosts have: Debian's dash with coreutils, and busybox sh with
 * nothing but busybox's own tools on PATH (what a lab vm guest has). Each test works in a temporary journal and
 * fake tracefs and cgroup trees, so it needs no root and changes nothing on this machine; what needs a kernel (real
 * cgroups, tracefs, swap, modules) is tested by the ITs. shellcheck holds lib.sh and facts.sh to POSIX sh.
 */
class LibShTest {
    @TempDir
    Path dir;

    /** A shell to run lib.sh with, and the tools it finds. */
    enum Shell {
        DASH, BUSYBOX;

        List<String> argv() {
            return this == DASH ? List.of(Prerequisites.require("dash"), "-c")
                    : List.of(Prerequisites.require("busybox"), "sh", "-c");
        }
    }

    /** Runs {@code script} with lib.sh sourced from a fresh journal at {@code dir/journal}. */
    private Result run(Shell shell, String script) throws Exception {
        Path journal = dir.resolve("journal");
        Files.createDirectories(journal);
        Files.writeString(journal.resolve("lib.sh"), HostScripts.library());
        List<String> argv = new ArrayList<>(shell.argv());
        argv.add("LAB_J='" + journal + "'; . \"$LAB_J/lib.sh\" || exit 99\n" + script);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        if (shell == Shell.BUSYBOX) {
            builder.environment().put("PATH", busyboxOnly().toString());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script finishes");
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {
        Result ok() {
            assertEquals(0, exit, "exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    /** A folder of busybox applets, so the busybox runs find no coreutils at all. */
    private Path busyboxOnly() throws IOException, InterruptedException {
        Path bin = dir.resolve("busybox-bin");
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        Process list = new ProcessBuilder(Prerequisites.require("busybox"), "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!applet.isBlank() && !applet.contains("/")) {
                Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of(Prerequisites.require("busybox")));
            }
        }
        list.waitFor();
        return bin;
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void teardownUndoesNewestFirstDownToTheMarkThenTheJournalGoes(Shell shell) throws Exception {
        Path log = dir.resolve("undone.log");
        run(shell, "for e in a b c; do lab_journal \"0000$(printf %s $e | tr abc 123)-$e\" \"echo $e >> '" + log + "'\"; done\n"
                + "lab_teardown 00001 && lab_teardown && lab_finish").ok();

        assertEquals("c\nb\na\n", Files.readString(log), "entries 3 and 2 after the mark, then 1");
        assertFalse(Files.exists(dir.resolve("journal")), "a complete teardown removes the journal");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void anUndoThatFailsStaysInTheJournalAndIsNamed(Shell shell) throws Exception {
        Result result = run(shell, "lab_journal 00001-ok 'true'; lab_journal 00002-stuck 'false'\n"
                + "lab_teardown; echo teardown=$?; lab_finish; echo finish=$?");

        assertTrue(result.out().contains("teardown=1") && result.out().contains("finish=1"), result.out());
        assertTrue(result.err().contains("undo failed: 00002-stuck (kept for lab cleanup)"), result.err());
        assertTrue(result.err().contains("still has entries: 00002-stuck.sh"), result.err());
        assertTrue(Files.exists(dir.resolve("journal/undo/00002-stuck.sh")));
        assertFalse(Files.exists(dir.resolve("journal/undo/00001-ok.sh")), "what could be undone was undone");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void aSysctlIsSavedThenRestoredAndTheSavedCopyGoes(Shell shell) throws Exception {
        Path sysctl = Files.writeString(dir.resolve("swappiness"), "60\n");
        run(shell, "lab_sysctl '" + sysctl + "' sysctl-vm.swappiness 100").ok();
        assertEquals("100\n", Files.readString(sysctl));

        run(shell, "lab_restore sysctl-vm.swappiness '" + sysctl + "'").ok();
        assertEquals("60\n", Files.readString(sysctl));
        assertFalse(Files.exists(dir.resolve("journal/saved/sysctl-vm.swappiness")));
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void aRefusedWriteNamesTheFileAndTheValue(Shell shell) throws Exception {
        Result result = run(shell, "lab_write '" + dir.resolve("no/such/file") + "' 'a b'; echo unreachable");

        assertEquals(1, result.exit());
        assertFalse(result.out().contains("unreachable"), "lab_write ends the step");
        assertTrue(result.err().contains("cannot write 'a b' to " + dir.resolve("no/such/file")), result.err());
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void cgroupsAreMadeWithTheirControlFilesWrittenInOrder(Shell shell) throws Exception {
        Path root = Files.createDirectories(dir.resolve("cgroupfs/lab-run"));
        run(shell, "lab_mkcg '" + root + "/kubepods' cgroup.subtree_control +memory memory.max 314572800\n"
                + "lab_mkcgs '" + root + "/kubepods' 'pod01 pod02 pod03'").ok();

        assertEquals("+memory\n", Files.readString(root.resolve("kubepods/cgroup.subtree_control")));
        assertEquals("314572800\n", Files.readString(root.resolve("kubepods/memory.max")));
        assertTrue(Files.isDirectory(root.resolve("kubepods/pod03")));

        run(shell, "lab_rmcgs '" + root + "/kubepods' 'pod01 pod02 pod03'").ok();
        assertFalse(Files.exists(root.resolve("kubepods/pod01")), "children removed");
        Result again = run(shell, "lab_mkcg '" + root + "/kubepods'");
        assertEquals(1, again.exit(), "a cgroup that exists is not made again");
        assertTrue(again.err().contains("cannot make cgroup " + root + "/kubepods"), again.err());
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void tracingStartsDrainsStopsAndCountsLostEventsInAFakeInstance(Shell shell) throws Exception {
        Path instance = Files.createDirectories(dir.resolve("tracing/instances/lab-run"));
        for (String event : List.of("mm_vmscan_memcg_reclaim_begin", "mm_vmscan_memcg_reclaim_end")) {
            Files.createDirectories(instance.resolve("events/vmscan/" + event));
            Files.writeString(instance.resolve("events/vmscan/" + event + "/format"), "name: " + event + "\n");
        }
        Files.writeString(instance.resolve("trace_pipe"), "drained line\n");
        Files.writeString(instance.resolve("trace"), "buffered line\n");
        Files.createDirectories(instance.resolve("per_cpu/cpu0"));
        Files.writeString(instance.resolve("per_cpu/cpu0/stats"), "entries: 9\noverrun: 5\ndropped events: 2\n");
        Path it = Files.createDirectories(dir.resolve("it"));
        String events = " vmscan:mm_vmscan_memcg_reclaim_begin vmscan:mm_vmscan_memcg_reclaim_end";

        run(shell, "lab_save_formats '" + instance + "' '" + it + "/formats'" + events + "\n"
                + "lab_trace_start '" + instance + "' '" + it + "/drain.pid' '" + it + "/trace.txt' '" + it
                + "/drain.err' 'lab: start run=x'" + events + "\n"
                + "lab_trace_stop '" + instance + "' '" + it + "/drain.pid' '" + it + "/trace.txt' '" + it
                + "/trace.stats'").ok();

        assertEquals("name: mm_vmscan_memcg_reclaim_end\n",
                Files.readString(it.resolve("formats/vmscan/mm_vmscan_memcg_reclaim_end.format")));
        assertEquals("1\n", Files.readString(instance.resolve("events/vmscan/mm_vmscan_memcg_reclaim_begin/enable")));
        assertEquals("lab: start run=x\n", Files.readString(instance.resolve("trace_marker")));
        assertEquals("0\n", Files.readString(instance.resolve("tracing_on")), "stopped");
        assertEquals("drained line\nbuffered line\n", Files.readString(it.resolve("trace.txt")));
        assertEquals("cpu0 overrun=5 dropped=2\n", Files.readString(it.resolve("trace.stats")));
        assertFalse(Files.exists(it.resolve("drain.pid")), "the drainer is stopped and its pid file gone");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void aBackgroundProcessOutlivesTheStepAndIsStoppedByItsPidFile(Shell shell) throws Exception {
        Path pid = dir.resolve("sleep.pid");
        run(shell, "lab_bg '" + pid + "' /dev/null /dev/null sleep 60").ok();
        long sleeper = Long.parseLong(Files.readString(pid).strip());
        assertTrue(running(sleeper), "running after the step");

        run(shell, "lab_stop_bg '" + pid + "'").ok();
        assertFalse(running(sleeper), "stopped");
        assertFalse(Files.exists(pid));
    }

    /** Alive and not a zombie waiting for whoever inherited it to reap it. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String text = Files.readString(stat);
            return !text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void workloadCopiesReportTheirExitsAndATimeoutIs124OnEveryHost(Shell shell) throws Exception {
        Path it = Files.createDirectories(dir.resolve("it"));
        Result result = run(shell, ": > " + it + "/workloads.pids\n"
                + "lab_spawn " + it + "/workloads.pids ok 1 " + it + "/workloads/ok/1 '' 30 sh -c 'echo hello'\n"
                + "lab_spawn " + it + "/workloads.pids bad 1 " + it + "/workloads/bad/1 '' 30 sh -c 'exit 3'\n"
                + "lab_spawn " + it + "/workloads.pids slow 1 " + it + "/workloads/slow/1 '' 1 sleep 30\n"
                + "lab_reap " + it + "/workloads.pids " + it + "/workloads.csv");

        assertEquals(1, result.exit(), "a copy failed");
        assertEquals("workload,copy,exit\nok,1,0\nbad,1,3\nslow,1,124\n", Files.readString(it.resolve("workloads.csv")));
        assertEquals("hello\n", Files.readString(it.resolve("workloads/ok/1/output.log")));
    }

    /** The monitors' CSV headers are the contract with the orchestrator, which reads columns by these names. */
    @ParameterizedTest
    @EnumSource(Shell.class)
    void monitorsWriteCsvsTheReportReadsByColumnName(Shell shell) throws Exception {
        Path it = Files.createDirectories(dir.resolve("it"));
        run(shell, "lab_monitor_start " + it + "/monitor.pid " + it + "/monitor.err " + it
                + "/monitors 0.2 loadavg,cpu,psi,vmstat\nsleep 1.5\nlab_stop_bg " + it + "/monitor.pid").ok();

        assertEquals("", Files.readString(it.resolve("monitor.err")));
        assertTrue(Files.readAllLines(it.resolve("monitors/cpu.csv")).size() >= 3, "header and samples");
        assertTrue(Files.readString(it.resolve("monitors/vmstat.csv")).contains(",nr_free_pages,"));
        Map<String, Double> figures = MonitorSummary.read(it);
        assertTrue(figures.containsKey("monitors.loadavg.load1_max"), figures.toString());
        assertTrue(figures.containsKey("monitors.cpu.busy_pct"), figures.toString());
        if (Files.isReadable(Path.of("/proc/pressure/memory"))) {
            assertTrue(figures.containsKey("monitors.psi.some_avg10_max"), figures.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void kernelTextWordsAreReadAsObjdumpPrintsThem(Shell shell) throws Exception {
        Path kcore = Files.write(dir.resolve("kcore"), new byte[] {0, 0, 0, 0,
                (byte) 0xe9, 0x03, 0x1e, (byte) 0xaa, 0x1f, 0x20, 0x03, (byte) 0xd5, 0, 0, 0, 0});

        Result result = run(shell, "lab_kcore_words 1 2 '" + kcore + "'").ok();

        assertEquals("aa1e03e9 d503201f", result.out().strip());
    }

    /** insmod is a stand-in that records its arguments: what reaches the module is exactly the plan's parameters. */
    @ParameterizedTest
    @EnumSource(Shell.class)
    void thePatchLoadWritesWhatIsPatchedAndPassesOnlyTheModuleParameters(Shell shell) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path args = dir.resolve("insmod.args");
        Files.writeString(bin.resolve("insmod"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" + args + "'\n");
        bin.resolve("insmod").toFile().setExecutable(true);
        Path kmod = Files.createDirectories(dir.resolve("it/kmod"));

        run(shell, "PATH='" + bin + "':$PATH\nlab_patch_load /x/lab_insn_patch.ko 'run=r patch' " + kmod + "/patch.txt "
                + kmod + "/patch.before " + kmod + "/patch.after '' 0 'point=A' 'where=shrink_slab+0x0' "
                + "'expect=mov x9, x30; nop' 'replace=mov x0, #0; ret' -- symbol=shrink_slab offset=0 "
                + "expect=0xaa1e03e9,0xd503201f replace=0xd2800000,0xd65f03c0").ok();

        assertEquals("point=A\nwhere=shrink_slab+0x0\nexpect=mov x9, x30; nop\nreplace=mov x0, #0; ret\n",
                Files.readString(kmod.resolve("patch.txt")));
        assertEquals("/x/lab_insn_patch.ko\nsymbol=shrink_slab\noffset=0\nexpect=0xaa1e03e9,0xd503201f\n"
                + "replace=0xd2800000,0xd65f03c0\n", Files.readString(args));
        assertFalse(Files.exists(kmod.resolve("patch.before")), "without a reading, no before and after");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void aSwapFileNeverOverwritesAFileThatIsThere(Shell shell) throws Exception {
        Path existing = Files.writeString(dir.resolve("swapfile"), "precious");

        Result result = run(shell, "lab_mkswap '" + existing + "' 1024");

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("refusing to overwrite " + existing), result.err());
        assertEquals("precious", Files.readString(existing));
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void theWorkDirectoryGoesAndItsBaseOnlyWhenEmpty(Shell shell) throws Exception {
        Path base = dir.resolve("var-tmp-lab");
        run(shell, "lab_mkworkdir '" + base + "/run1' && lab_mkworkdir '" + base + "/run2'").ok();
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(base.resolve("run1"))));

        run(shell, "lab_rmworkdir '" + base + "/run1' '" + base + "'").ok();
        assertTrue(Files.isDirectory(base), "another run still uses the base");
        run(shell, "lab_rmworkdir '" + base + "/run2' '" + base + "'").ok();
        assertFalse(Files.exists(base));
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void stdinIsPutIntoAFileWhoseFolderIsMade(Shell shell) throws Exception {
        run(shell, "printf 'obj-m := x.o\\n' | lab_put '" + dir.resolve("src/x/Kbuild") + "'").ok();

        assertEquals("obj-m := x.o\n", Files.readString(dir.resolve("src/x/Kbuild")));
    }

    @Test
    void shellcheckFindsNothingInLibShAndFactsSh() throws Exception {
        String shellcheck = Prerequisites.require("shellcheck");
        Path lib = Files.writeString(dir.resolve("lib.sh"), HostScripts.library());
        Path facts = Files.writeString(dir.resolve("facts.sh"), HostScripts.facts());

        Process process = new ProcessBuilder(shellcheck, "--shell=sh", lib.toString(), facts.toString())
                .redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, process.waitFor(), said);
    }

    @Test
    void shellcheckCanFail() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.sh"), "for f in $(ls *.sh); do rm $f; done\n");
        Process process = new ProcessBuilder(Prerequisites.require("shellcheck"), "--shell=sh", bad.toString()).start();
        process.getInputStream().readAllBytes();
        assertNotEquals(0, process.waitFor(), "shellcheck reports what it should");
    }

    @Test
    void theEnvironmentForBusyboxHasNoOtherTools() throws Exception {
        Result result = run(Shell.BUSYBOX, "readlink -f \"$(command -v timeout)\"").ok();
        assertTrue(result.out().strip().endsWith("busybox"), result.out());
    }
}
