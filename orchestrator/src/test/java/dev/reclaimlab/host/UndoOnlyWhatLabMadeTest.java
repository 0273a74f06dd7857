package dev.reclaimlab.host;

import dev.reclaimlab.step.Step;
import dev.reclaimlab.testing.LibShRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An undo reverses only what its own step made. Each setup action meets a host where its target is there already
 * (a swap file, a cgroup, a folder, a tracefs instance, a sysctl at the value, a loaded module of the same name, a
 * work directory base that is not lab's); the step fails or does nothing, and after the teardown everything that
 * was there before is as it was. The steps and the teardown are the exact scripts a run sends, run under dash and
 * under busybox sh in fake trees.
 */
class UndoOnlyWhatLabMadeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void theHostsOwnSwapFileIsNeitherTurnedOffNorDeleted(LibShRunner.Kind kind) throws Exception {
        Path swapfile = Files.writeString(dir.resolve("swapfile"), "the host's own swap");
        LibShRunner shell = new LibShRunner(kind, dir);

        LibShRunner.Result step = shell.step(Step.undoable("swap", "swap", "lab_mkswap '" + swapfile + "' 1024",
                "lab_swapoff_rm '" + swapfile + "'"));
        shell.teardown().ok();

        assertEquals(1, step.exit());
        assertTrue(step.err().contains("refusing to overwrite " + swapfile), step.err());
        assertEquals("the host's own swap", Files.readString(swapfile), "untouched by the undo");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aFolderThatWasThereStaysWithEverythingInIt(LibShRunner.Kind kind) throws Exception {
        Path cgroup = Files.createDirectories(dir.resolve("cgroupfs/lab-run/test"));
        Files.writeString(cgroup.resolve("memory.max"), "max\n");
        Path instance = Files.createDirectories(dir.resolve("tracing/instances/lab-run"));
        Path iteration = Files.createDirectories(dir.resolve("work/run/x-1/r1"));
        Files.writeString(iteration.resolve("keep"), "mine");
        LibShRunner shell = new LibShRunner(kind, dir);

        List<LibShRunner.Result> steps = List.of(
                shell.step(Step.undoable("cgroup:test", "c", "lab_mkcg '" + cgroup + "' memory.max 104857600",
                        "lab_rmcg '" + cgroup + "'")),
                shell.step(Step.undoable("trace:instance", "t", "lab_mkinstance '" + instance + "' 4096",
                        "lab_rminstance '" + instance + "'")),
                shell.step(Step.undoable("iteration", "i", "lab_mkdir '" + iteration + "'",
                        "lab_rmtree '" + iteration + "'")));
        LibShRunner.Result teardown = shell.teardown().ok();

        steps.forEach(step -> assertEquals(1, step.exit(), step.err()));
        assertEquals("max\n", Files.readString(cgroup.resolve("memory.max")), "its limit was not written");
        assertTrue(Files.isDirectory(instance));
        assertEquals("mine", Files.readString(iteration.resolve("keep")));
        assertTrue(teardown.err().contains("left " + cgroup + " alone"), teardown.err());
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aSysctlAlreadyAtTheValueIsNotTouchedNorOneSomebodyChangedSince(LibShRunner.Kind kind) throws Exception {
        Path atValue = Files.writeString(dir.resolve("vfs_cache_pressure"), "150\n");
        Path changed = Files.writeString(dir.resolve("swappiness"), "60\n");
        LibShRunner shell = new LibShRunner(kind, dir);

        shell.step(Step.undoable("sysctl:a", "s", "lab_sysctl '" + atValue + "' sysctl-a 150",
                "lab_restore sysctl-a '" + atValue + "'")).ok();
        shell.step(Step.undoable("sysctl:b", "s", "lab_sysctl '" + changed + "' sysctl-b 100",
                "lab_restore sysctl-b '" + changed + "'")).ok();
        assertFalse(Files.exists(dir.resolve("journal/saved/sysctl-a")), "nothing to save: it was at the value");
        Files.writeString(changed, "10\n"); // somebody else sets it during the run
        shell.teardown().ok();

        assertEquals("150\n", Files.readString(atValue));
        assertEquals("10\n", Files.readString(changed), "lab restores only the value it wrote");
    }

    /** /sys/module/printk is there on every kernel (built in): a module lab would load under that name. */
    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aLoadedModuleOfTheSameNameIsNeitherLoadedOverNorUnloaded(LibShRunner.Kind kind) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path calls = dir.resolve("calls");
        for (String tool : List.of("insmod", "rmmod")) {
            Files.writeString(bin.resolve(tool), "#!/bin/sh\necho " + tool + " \"$@\" >> '" + calls + "'\n");
            bin.resolve(tool).toFile().setExecutable(true);
        }
        assertTrue(Files.isDirectory(Path.of("/sys/module/printk")), "this kernel has printk in /sys/module");
        LibShRunner shell = new LibShRunner(kind, dir);

        LibShRunner.Result load = shell.step(Step.undoable("kmod:stress", "k",
                "PATH='" + bin + "':$PATH; lab_insmod /x/printk.ko 'run=r stress' loops=1", "lab_rmmod printk"));
        LibShRunner.Result teardown = shell.teardown().ok();

        assertEquals(1, load.exit());
        assertTrue(load.err().contains("a module named printk is loaded already"), load.err());
        assertFalse(Files.exists(calls), "neither insmod nor rmmod ran: " + teardown.out());
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aWorkDirectoryBaseSomebodyElseCanWriteToIsRefusedAndLeftAsItWas(LibShRunner.Kind kind) throws Exception {
        Path base = Files.createDirectories(dir.resolve("var-tmp-lab"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        LibShRunner shell = LibShRunner.forRun(kind, dir.resolve("shell"), base.resolve("run"));

        LibShRunner.Result step = shell.begin(base, Duration.ofMinutes(1), false);
        shell.teardown().ok();

        assertEquals(1, step.exit());
        assertTrue(step.err().contains("refusing work directory base " + base), step.err());
        assertFalse(Files.exists(base.resolve("run")), "nothing was made in it");
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    }

    /** A symlink planted where the run's folder goes: the step fails instead of following it. */
    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aSymlinkWhereTheWorkDirectoryGoesFailsTheStepAndItsTargetIsUntouched(LibShRunner.Kind kind) throws Exception {
        Path base = Files.createDirectories(dir.resolve("var-tmp-lab"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path foreign = Files.createDirectories(dir.resolve("somebody-elses"));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(base.resolve("run"), foreign);
        LibShRunner shell = LibShRunner.forRun(kind, dir.resolve("shell"), base.resolve("run"));

        LibShRunner.Result step = shell.begin(base, Duration.ofMinutes(1), false);
        shell.teardown().ok();

        assertEquals(1, step.exit());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(foreign)));
        assertTrue(Files.isSymbolicLink(base.resolve("run")) && Files.isDirectory(base), "base and link stay");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aBaseThatWasThereEmptyBeforeTheRunIsNotRemoved(LibShRunner.Kind kind) throws Exception {
        Path base = Files.createDirectories(dir.resolve("var-tmp-lab"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        LibShRunner shell = LibShRunner.forRun(kind, dir.resolve("shell"), base.resolve("run"));

        shell.begin(base, Duration.ofMinutes(1), false).ok();
        shell.teardown().ok();

        assertFalse(Files.exists(base.resolve("run")), "the run's own folder goes");
        assertTrue(Files.isDirectory(base), "the base was the host's");
    }

    /** A process started by lab whose pid is now somebody else's: the pid file's start time tells them apart. */
    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aPidFileNamingAProcessThatIsNoLongerLabsStopsNothing(LibShRunner.Kind kind) throws Exception {
        Process bystander = new ProcessBuilder("sleep", "60").start();
        try {
            Path pidfile = Files.writeString(dir.resolve("drain.pid"), bystander.pid() + " 1\n");
            new LibShRunner(kind, dir).run("lab_stop_bg '" + pidfile + "'").ok();

            assertTrue(bystander.isAlive(), "a process that started at another time is not lab's");
            assertFalse(Files.exists(pidfile));
        } finally {
            bystander.destroyForcibly();
        }
    }
}
