package dev.reclaimlab.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * grub.sh's journal and undo, run for real under dash and busybox sh on files in a temporary folder (a stand-in
 * grub-reboot and grub-editenv keep next_entry in a file): lab's entry goes in and out of custom.cfg leaving the
 * host's own entries byte for byte, a custom.cfg lab made is removed, a pending next_entry of lab's is cleared and
 * one that is not lab's is left alone. The real GRUB is exercised by GrubBootIT.
 */
class GrubShTest {
    @TempDir
    Path dir;

    private String run(String shell, String function, String... args) throws Exception {
        return run(shell, java.util.Map.of(), function, args);
    }

    private String run(String shell, java.util.Map<String, String> env, String function, String... args)
            throws Exception {
        List<String> argv = new ArrayList<>(List.of(Prerequisites.require(shell)));
        if (shell.equals("busybox")) {
            argv.add("sh");
        }
        argv.addAll(List.of("-c", HostScripts.grub() + "\n" + function + " \"$@\"", function));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), function + ": " + out);
        return out;
    }

    /** grub-editenv FILE list|set K=V|unset K, and grub-reboot ID, on a plain key=value file. */
    private void fakeGrubTools() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path editenv = bin.resolve("fake-editenv");
        Files.writeString(editenv, """
                #!/bin/sh
                f=$1; cmd=$2; kv=$3
                touch "$f"
                case $cmd in
                list) cat "$f" ;;
                set) k=${kv%%=*}; grep -v "^$k=" "$f" > "$f.n"; echo "$kv" >> "$f.n"; mv "$f.n" "$f" ;;
                unset) grep -v "^$kv=" "$f" > "$f.n"; mv "$f.n" "$f" ;;
                esac
                """);
        Path reboot = bin.resolve("fake-reboot");
        Files.writeString(reboot, "#!/bin/sh\nfake-editenv " + dir.resolve("grub/grubenv") + " set next_entry=$1\n");
        editenv.toFile().setExecutable(true);
        reboot.toFile().setExecutable(true);
        Files.createDirectories(dir.resolve("grub"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void labsEntryGoesInAndOutLeavingTheHostsOwnCustomEntriesAsTheyWere(String shell) throws Exception {
        fakeGrubTools();
        String own = "menuentry 'rescue' --id rescue {\n\tlinux /vmlinuz-rescue\n}\n";
        Files.writeString(dir.resolve("grub/custom.cfg"), own);
        Files.writeString(dir.resolve("entry"), "menuentry 'lab' --id 'reclaimlab-abc' {\n}\n");
        String state = dir.resolve("state").toString();
        String grub = dir.resolve("grub").toString();

        run(shell, "lab_grub_add", state, grub, "reclaimlab-abc", dir.resolve("entry").toString());
        run(shell, "lab_grub_once", state, grub, "reclaimlab-abc", "fake-reboot", "fake-editenv");
        String custom = Files.readString(dir.resolve("grub/custom.cfg"));
        assertTrue(custom.startsWith(own) && custom.contains("### reclaim-lab reclaimlab-abc begin\nmenuentry 'lab'"),
                custom);
        assertEquals("block " + grub + "/custom.cfg reclaimlab-abc\nnext_entry " + grub + " reclaimlab-abc\n",
                Files.readString(dir.resolve("state/journal")), "journaled, and the host's file was not lab's to make");

        run(shell, "lab_grub_undo", state, "fake-editenv");
        assertEquals(own, Files.readString(dir.resolve("grub/custom.cfg")), "the host's own entry, byte for byte");
        assertFalse(Files.readString(dir.resolve("grub/grubenv")).contains("next_entry=reclaimlab-abc"));
        assertFalse(Files.exists(dir.resolve("state")), "the journal goes once undone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void aCustomCfgLabMadeIsRemovedAndANextEntryThatIsNotLabsStays(String shell) throws Exception {
        fakeGrubTools();
        Files.writeString(dir.resolve("entry"), "menuentry 'lab' --id 'reclaimlab-abc' {\n}\n");
        String state = dir.resolve("state").toString();
        String grub = dir.resolve("grub").toString();

        run(shell, "lab_grub_add", state, grub, "reclaimlab-abc", dir.resolve("entry").toString());
        run(shell, "lab_grub_once", state, grub, "reclaimlab-abc", "fake-reboot", "fake-editenv");
        // someone else picked the next boot meanwhile: not lab's to clear
        Files.writeString(dir.resolve("grub/grubenv"), "next_entry=someone-elses\n");
        run(shell, "lab_grub_undo", state, "fake-editenv");
        assertFalse(Files.exists(dir.resolve("grub/custom.cfg")), "lab made it, lab removes it");
        assertEquals("next_entry=someone-elses\n", Files.readString(dir.resolve("grub/grubenv")));
        assertFalse(Files.exists(dir.resolve("state")));
    }

    /**
     * A kernel package (a linux-image .deb as Debian lays one out, built here with dpkg-deb) installed without the
     * package manager into a stand-in root: image and config into /boot, modules into /lib/modules, the initrd made by
     * the host's tool (a stand-in mkinitramfs), the host's own System.map left as it is; the undo removes exactly
     * what lab put there.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void aKernelPackageIsInstalledWithoutThePackageManagerAndRemovedLeavingTheHostsOwnFiles(String shell)
            throws Exception {
        String release = "9.9.9-lab1-arm64";
        Path pkg = dir.resolve("pkg");
        Files.createDirectories(pkg.resolve("DEBIAN"));
        Files.writeString(pkg.resolve("DEBIAN/control"), "Package: linux-image-" + release + "\nVersion: 9.9.9-1\n"
                + "Architecture: arm64\nMaintainer: lab <lab@localhost>\nDescription: a kernel for a test\n");
        Files.createDirectories(pkg.resolve("boot"));
        Files.writeString(pkg.resolve("boot/vmlinuz-" + release), "MZ the image");
        Files.writeString(pkg.resolve("boot/config-" + release), "CONFIG_MEMCG=y\n");
        Files.writeString(pkg.resolve("boot/System.map-" + release), "the package's map\n");
        Files.createDirectories(pkg.resolve("lib/modules/" + release + "/kernel/fs"));
        Files.writeString(pkg.resolve("lib/modules/" + release + "/kernel/fs/lab.ko"), "a module");
        Path deb = dir.resolve("linux-image-" + release + ".deb");
        Process build = new ProcessBuilder(Prerequisites.require("dpkg-deb"), "-b", "--root-owner-group",
                pkg.toString(), deb.toString()).redirectErrorStream(true).start();
        String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, build.waitFor(), built);

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("mkinitramfs"), "#!/bin/sh\n[ \"$1\" = -o ] && echo \"initrd of $3\" > \"$2\"\n");
        Files.writeString(bin.resolve("depmod"), "#!/bin/sh\necho \"$*\" > " + dir.resolve("depmod.args") + "\n");
        bin.resolve("mkinitramfs").toFile().setExecutable(true);
        bin.resolve("depmod").toFile().setExecutable(true);
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("boot/System.map-" + release), "the host's own map\n");
        String state = dir.resolve("state").toString();

        String out = run(shell, java.util.Map.of("LAB_ROOT", root.toString()), "lab_pkg_install", state,
                deb.toString());
        assertTrue(out.contains("release=" + release), out);
        assertEquals("MZ the image", Files.readString(root.resolve("boot/vmlinuz-" + release)));
        assertEquals("CONFIG_MEMCG=y\n", Files.readString(root.resolve("boot/config-" + release)));
        assertEquals("the host's own map\n", Files.readString(root.resolve("boot/System.map-" + release)));
        assertEquals("a module", Files.readString(root.resolve("lib/modules/" + release + "/kernel/fs/lab.ko")));
        assertEquals("initrd of " + release + "\n", Files.readString(root.resolve("boot/initrd.img-" + release)));
        assertEquals("-b " + root + " " + release + "\n", Files.readString(dir.resolve("depmod.args")));
        assertFalse(Files.exists(dir.resolve("state/unpack")), "the unpacked package goes once installed");

        run(shell, "lab_grub_undo", state, "");
        try (var left = Files.walk(root)) {
            assertEquals(List.of(root.resolve("boot/System.map-" + release)),
                    left.filter(Files::isRegularFile).toList(), "only the host's own file is left");
        }
        assertFalse(Files.exists(root.resolve("lib/modules/" + release)));
        assertFalse(Files.exists(dir.resolve("state")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void aKernelLabInstalledIsRemovedAndAHostsOwnFileIsNeverReplaced(String shell) throws Exception {
        fakeGrubTools();
        String state = dir.resolve("state").toString();
        Files.createDirectories(dir.resolve("state"));
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Files.writeString(dir.resolve("state/upload"), "new kernel");
        run(shell, "lab_grub_install", state, dir.resolve("state/upload").toString(), boot.resolve("vmlinuz-x").toString());
        assertEquals("new kernel", Files.readString(boot.resolve("vmlinuz-x")));

        Files.writeString(boot.resolve("vmlinuz-own"), "the host's kernel");
        Files.writeString(dir.resolve("state/upload"), "the host's kernel");
        run(shell, "lab_grub_install", state, dir.resolve("state/upload").toString(),
                boot.resolve("vmlinuz-own").toString());
        Files.writeString(dir.resolve("state/upload"), "another kernel");
        ProcessBuilder refused = new ProcessBuilder(Prerequisites.require("dash"), "-c", HostScripts.grub()
                + "\nlab_grub_install \"$@\"", "x", state, dir.resolve("state/upload").toString(),
                boot.resolve("vmlinuz-own").toString()).redirectErrorStream(true);
        Process p = refused.start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor());
        assertTrue(said.contains("exists with other contents"), said);

        run(shell, "lab_grub_undo", state, "fake-editenv");
        assertFalse(Files.exists(boot.resolve("vmlinuz-x")), "lab's kernel goes");
        assertEquals("the host's kernel", Files.readString(boot.resolve("vmlinuz-own")), "the host's stays");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void aKernelLoadedForKexecIsJournaledFirstAndUnloadedByTheUndo(String shell) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("kexec.calls");
        Path kexec = bin.resolve("kexec");
        // a stand-in kexec that notes its arguments and whether the journal already named the load
        Files.writeString(kexec, "#!/bin/sh\n{ grep -q kexec_loaded " + dir.resolve("state/journal")
                + " && echo journaled; echo \"$*\"; } >> " + calls + "\n");
        kexec.toFile().setExecutable(true);
        String state = dir.resolve("state").toString();

        run(shell, "lab_kexec_load", state, "/boot/vmlinuz-6.12", "/boot/initrd.img-6.12", "console=ttyAMA0 lab.x=1");
        assertEquals("journaled\n-l /boot/vmlinuz-6.12 --initrd=/boot/initrd.img-6.12 --command-line=console=ttyAMA0 "
                + "lab.x=1\n", Files.readString(calls));
        run(shell, "lab_grub_undo", state, "");
        assertTrue(Files.readString(calls).endsWith("-u\n"), "unloaded: " + Files.readString(calls));
        assertFalse(Files.exists(dir.resolve("state")));
    }
}
