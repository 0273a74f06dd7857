package dev.reclaimlab.host;

import dev.reclaimlab.report.MonitorSummary;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.testing.LibShRunner;
import dev.reclaimlab.testing.LibShRunner.Result;
import dev.reclaimlab.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
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
 * cgroups, tracefs, swap, modules) is tested by the ITs. shellcheck holds lib.sh, facts.sh and grub.sh to POSIX sh.
 */
class LibShTest {
    @TempDir
    Path dir;

    /** lib.sh under {@code kind}, in this test's folder. */
    private Result run(LibShRunner.Kind kind, String script) throws Exception {
        return new LibShRunner(kind, dir).run(script);
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void teardownUndoesNewestFirstDownToTheMarkThenTheJournalGoes(LibShRunner.Kind shell) throws Exception {
        Path log = dir.resolve("undone.log");
        run(shell, "for e in a b c; do lab_journal \"0000$(printf %s $e | tr abc 123)-$e\" \"echo $e >> '" + log + "'\"; done\n"
                + "lab_teardown 00001 && lab_teardown && lab_finish").ok();

        assertEquals("c\nb\na\n", Files.readString(log), "entries 3 and 2 after the mark, then 1");
        assertFalse(Files.exists(dir.resolve("journal")), "a complete teardown removes the journal");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void anUndoThatFailsStaysInTheJournalAndIsNamed(LibShRunner.Kind shell) throws Exception {
        Result result = run(shell, "lab_journal 00001-ok 'true'; lab_journal 00002-stuck 'false'\n"
                + "lab_teardown; echo teardown=$?; lab_finish; echo finish=$?");

        assertTrue(result.out().contains("teardown=1") && result.out().contains("finish=1"), result.out());
        assertTrue(result.err().contains("undo failed: 00002-stuck (kept for lab cleanup)"), result.err());
        assertTrue(result.err().contains("still has entries: 00002-stuck.sh"), result.err());
        assertTrue(Files.exists(dir.resolve("journal/undo/00002-stuck.sh")));
        assertFalse(Files.exists(dir.resolve("journal/undo/00001-ok.sh")), "what could be undone was undone");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aSysctlIsSavedThenRestoredAndTheSavedCopyGoes(LibShRunner.Kind kind) throws Exception {
        Path sysctl = Files.writeString(dir.resolve("swappiness"), "60\n");
        LibShRunner shell = new LibShRunner(kind, dir);
        shell.step(Step.undoable("sysctl:vm.swappiness", "set", "lab_sysctl '" + sysctl + "' sysctl-vm.swappiness 100",
                "lab_restore sysctl-vm.swappiness '" + sysctl + "'")).ok();
        assertEquals("100\n", Files.readString(sysctl));

        shell.teardown().ok();
        assertEquals("60\n", Files.readString(sysctl));
        assertFalse(Files.exists(dir.resolve("journal")), "the saved copy went with the journal");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aRefusedWriteNamesTheFileAndTheValue(LibShRunner.Kind shell) throws Exception {
        Result result = run(shell, "lab_write '" + dir.resolve("no/such/file") + "' 'a b'; echo unreachable");

        assertEquals(1, result.exit());
        assertFalse(result.out().contains("unreachable"), "lab_write ends the step");
        assertTrue(result.err().contains("cannot write 'a b' to " + dir.resolve("no/such/file")), result.err());
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void cgroupsAreMadeWithTheirControlFilesWrittenInOrder(LibShRunner.Kind kind) throws Exception {
        Path root = Files.createDirectories(dir.resolve("cgroupfs/lab-run"));
        LibShRunner shell = new LibShRunner(kind, dir);
        shell.step(Step.undoable("cgroup:kubepods", "make", "lab_mkcg '" + root + "/kubepods' cgroup.subtree_control"
                + " +memory memory.max 314572800", "true")).ok();
        shell.step(Step.undoable("cgroup:kubepods/*", "make", "lab_mkcgs '" + root + "/kubepods' 'pod01 pod02 pod03'",
                "lab_rmcgs '" + root + "/kubepods' 'pod01 pod02 pod03'")).ok();

        assertEquals("+memory\n", Files.readString(root.resolve("kubepods/cgroup.subtree_control")));
        assertEquals("314572800\n", Files.readString(root.resolve("kubepods/memory.max")));
        assertTrue(Files.isDirectory(root.resolve("kubepods/pod03")));

        shell.teardown().ok();
        assertFalse(Files.exists(root.resolve("kubepods/pod01")), "children the step made are removed");
        LibShRunner.Result again = new LibShRunner(kind, dir).run("lab_mkcg '" + root + "/kubepods'");
        assertEquals(1, again.exit(), "a cgroup that exists is not made again");
        assertTrue(again.err().contains("cannot make cgroup " + root + "/kubepods"), again.err());
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void tracingStartsDrainsStopsAndCountsLostEventsInAFakeInstance(LibShRunner.Kind shell) throws Exception {
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
    @EnumSource(LibShRunner.Kind.class)
    void aBackgroundProcessOutlivesTheStepAndIsStoppedByItsPidFile(LibShRunner.Kind shell) throws Exception {
        Path pid = dir.resolve("sleep.pid");
        run(shell, "lab_bg '" + pid + "' /dev/null /dev/null sleep 60").ok();
        long sleeper = Long.parseLong(Files.readString(pid).strip().split(" ")[0]);
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
    @EnumSource(LibShRunner.Kind.class)
    void workloadCopiesReportTheirExitsAndATimeoutIs124OnEveryHost(LibShRunner.Kind shell) throws Exception {
        Path it = Files.createDirectories(dir.resolve("it"));
        Result result = run(shell, "lab_workloads_begin " + it + "/workloads.pids\n"
                + "lab_spawn " + it + "/workloads.pids ok 1 " + it + "/workloads/ok/1 '' 30 sh -c 'echo hello'\n"
                + "lab_spawn " + it + "/workloads.pids bad 1 " + it + "/workloads/bad/1 '' 30 sh -c 'exit 3'\n"
                + "lab_spawn " + it + "/workloads.pids slow 1 " + it + "/workloads/slow/1 '' 1 sleep 30\n"
                + "lab_reap " + it + "/workloads.pids " + it + "/workloads.csv");

        assertEquals(1, result.exit(), "a copy failed");
        List<String> rows = Files.readAllLines(it.resolve("workloads.csv"));
        assertEquals("workload,copy,exit,started,ended", rows.get(0));
        assertEquals(List.of("ok,1,0", "bad,1,3", "slow,1,124"),
                rows.subList(1, rows.size()).stream().map(r -> r.replaceAll(",[0-9.]+,[0-9.]+$", "")).toList());
        double started = Double.parseDouble(rows.get(1).split(",")[3]);
        double slowEnded = Double.parseDouble(rows.get(3).split(",")[4]);
        assertTrue(slowEnded - started >= 0.9 && slowEnded - started < 10, "the slow copy's 1 s timeout: " + rows);
        assertEquals("hello\n", Files.readString(it.resolve("workloads/ok/1/output.log")));
    }

    /** The monitors' CSV headers are the contract with the orchestrator, which reads columns by these names. */
    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void monitorsWriteCsvsTheReportReadsByColumnName(LibShRunner.Kind shell) throws Exception {
        Path it = Files.createDirectories(dir.resolve("it"));
        // a memory cgroup's files as the kernel shows them (v1 names and v2 names side by side)
        Path cgroup = Files.createDirectories(dir.resolve("lab-run/kubepods"));
        Files.writeString(cgroup.resolve("memory.stat"), "anon 4096\nfile 8192\n");
        Files.writeString(cgroup.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        Files.writeString(cgroup.resolve("memory.current"), "314572800\n");
        Files.writeString(cgroup.resolve("memory.failcnt"), "7\n");
        run(shell, "lab_monitor_start " + it + "/monitor.pid " + it + "/monitor.err " + it
                + "/monitors 0.2 loadavg,cpu,psi,vmstat,memcg " + cgroup + "\nsleep 1.5\nlab_stop_bg " + it
                + "/monitor.pid").ok();

        assertEquals("", Files.readString(it.resolve("monitor.err")));
        assertTrue(Files.readAllLines(it.resolve("monitors/cpu.csv")).size() >= 3, "header and samples");
        assertTrue(Files.readString(it.resolve("monitors/vmstat.csv")).contains(",nr_free_pages,"));
        List<String> memcg = Files.readAllLines(it.resolve("monitors/memcg.csv"));
        assertEquals("uptime,cgroup,counter,value", memcg.get(0));
        for (String row : List.of(",kubepods,anon,4096", ",kubepods,oom_kill,1", ",kubepods,memory.current,314572800",
                ",kubepods,memory.failcnt,7")) {
            assertTrue(memcg.stream().anyMatch(line -> line.endsWith(row) && line.matches("[0-9.]+,.*")),
                    row + " in " + memcg);
        }
        Map<String, Double> figures = MonitorSummary.read(it);
        assertTrue(figures.containsKey("monitors.loadavg.load1_max"), figures.toString());
        assertTrue(figures.containsKey("monitors.cpu.busy_pct"), figures.toString());
        if (Files.isReadable(Path.of("/proc/pressure/memory"))) {
            assertTrue(figures.containsKey("monitors.psi.some_avg10_max"), figures.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void kernelTextWordsAreReadAsObjdumpPrintsThem(LibShRunner.Kind shell) throws Exception {
        Path kcore = Files.write(dir.resolve("kcore"), new byte[] {0, 0, 0, 0,
                (byte) 0xe9, 0x03, 0x1e, (byte) 0xaa, 0x1f, 0x20, 0x03, (byte) 0xd5, 0, 0, 0, 0});

        Result result = run(shell, "lab_kcore_words 1 2 '" + kcore + "'").ok();

        assertEquals("aa1e03e9 d503201f", result.out().strip());
    }

    /** insmod is a stand-in that records its arguments: what reaches the module is exactly the plan's parameters. */
    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void thePatchLoadWritesWhatIsPatchedAndPassesOnlyTheModuleParameters(LibShRunner.Kind shell) throws Exception {
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

    /** insmod and dmesg are stand-ins: the kernel refuses the module and says why in its log. */
    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aModuleTheKernelRefusesFailsTheStepWithTheModulesOwnWords(LibShRunner.Kind shell) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Files.writeString(bin.resolve("insmod"), "#!/bin/sh\necho 'insmod: ERROR: Operation not permitted' >&2\nexit 1\n");
        Files.writeString(bin.resolve("dmesg"), "#!/bin/sh\necho 'old line'\necho 'lab: run=r patch'\n"
                + "echo 'lab_insn_patch: shrink_slab+0x0 holds 00000007, expected aa1e03e9: not changed'\n");
        bin.resolve("insmod").toFile().setExecutable(true);
        bin.resolve("dmesg").toFile().setExecutable(true);

        Result result = run(shell, "PATH='" + bin + "':$PATH\nlab_insmod /x/lab_insn_patch.ko 'run=r patch' a=1; "
                + "echo exit=$?");

        assertTrue(result.out().contains("exit=1"), result.out());
        assertTrue(result.err().contains("Operation not permitted"), result.err());
        assertTrue(result.err().contains("holds 00000007, expected aa1e03e9: not changed"), result.err());
        assertFalse(result.err().contains("old line"), "only the log since the marker");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aSwapFileNeverOverwritesAFileThatIsThere(LibShRunner.Kind shell) throws Exception {
        Path existing = Files.writeString(dir.resolve("swapfile"), "precious");

        Result result = run(shell, "lab_mkswap '" + existing + "' 1024");

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("refusing to overwrite " + existing), result.err());
        assertEquals("precious", Files.readString(existing));
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void theRunsFolderAndTheBaseLabMadeGoTheBaseOnlyWhenEmpty(LibShRunner.Kind kind) throws Exception {
        Path base = dir.resolve("var-tmp-lab");
        LibShRunner first = LibShRunner.forRun(kind, dir.resolve("one"), base.resolve("run1"));
        LibShRunner second = LibShRunner.forRun(kind, dir.resolve("two"), base.resolve("run2"));
        first.begin(base, Duration.ofMinutes(1), true).ok();
        second.begin(base, Duration.ofMinutes(1), true).ok();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("run1"))));
        assertTrue(Files.isRegularFile(base.resolve("run1/journal/lib.sh")), "the journal lives in the run's folder");

        second.teardown().ok();
        assertTrue(Files.isDirectory(base.resolve("run1")), "another run still uses the base");
        assertFalse(Files.exists(base.resolve("run2")));
        first.teardown().ok();
        assertFalse(Files.exists(base), "the run that made the base removes it once it is empty");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void stdinIsPutIntoAFileWhoseFolderIsMade(LibShRunner.Kind shell) throws Exception {
        run(shell, "printf 'obj-m := x.o\\n' | lab_put '" + dir.resolve("src/x/Kbuild") + "'").ok();

        assertEquals("obj-m := x.o\n", Files.readString(dir.resolve("src/x/Kbuild")));
    }

    @Test
    void shellcheckFindsNothingInTheHostScripts() throws Exception {
        String shellcheck = Prerequisites.require("shellcheck");
        Path lib = Files.writeString(dir.resolve("lib.sh"), HostScripts.library());
        Path facts = Files.writeString(dir.resolve("facts.sh"), HostScripts.facts());
        Path grub = Files.writeString(dir.resolve("grub.sh"), HostScripts.grub());

        Process process = new ProcessBuilder(shellcheck, "--shell=sh", lib.toString(), facts.toString(), grub.toString())
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
        Result result = run(LibShRunner.Kind.BUSYBOX, "readlink -f \"$(command -v timeout)\"").ok();
        assertTrue(result.out().strip().endsWith("busybox"), result.out());
    }
}
