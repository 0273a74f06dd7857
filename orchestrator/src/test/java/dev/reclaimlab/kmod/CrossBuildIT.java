package dev.reclaimlab.kmod;

import dev.reclaimlab.elf.Elf;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.vm.KernelHeaders;
import dev.reclaimlab.vm.Kernels;
import dev.reclaimlab.vm.VmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link CrossBuild} for real: Debian's arm64 headers downloaded with apt into the failsafe run's {@code LAB_HOME}
 * (target/it-lab-home, kept between runs like the VM tests' guest cache), a hello-world module cross-compiled for the
 * kernel the VM tests boot, found again in the cache, and a module with a syntax error reported with the compiler's
 * own error line. A missing cross compiler or arm64 package list fails the test with what to install; it never
 * skips, so a machine without them cannot pass by building nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossBuildIT {
    static final String HELLO_C = """
            #include <linux/init.h>
            #include <linux/module.h>

            static int __init lab_it_hello_init(void)
            {
            	pr_info("lab_it_hello: hello from reclaim-lab\\n");
            	return 0;
            }

            static void __exit lab_it_hello_exit(void)
            {
            }

            module_init(lab_it_hello_init);
            module_exit(lab_it_hello_exit);
            MODULE_LICENSE("GPL");
            MODULE_DESCRIPTION("reclaim-lab CrossBuildIT");
            """;

    static LabHome home;
    static String release;

    @BeforeAll
    static void prerequisites() throws Exception {
        String dir = System.getenv("LAB_HOME");
        if (dir == null || dir.isBlank()) {
            fail("LAB_HOME is not set; run the integration tests through Maven (failsafe sets it to "
                    + "target/it-lab-home) so they never touch your own cache");
        }
        home = LabHome.fromEnvironment();
        try {
            KernelHeaders.requireHostTools();
        } catch (VmException e) {
            fail("cross-building modules needs make, the arm64 cross compiler and Debian's arm64 package lists "
                    + "(scripts/test installs them):\n" + e.getMessage());
        }
        // The kernel the VM tests booted, so the module is one their guest would load; else Debian's default.
        List<String> cached = Kernels.cachedReleases(home);
        release = cached.isEmpty() ? Kernels.debianDefaultRelease().orElseGet(() -> fail("apt knows no "
                + "linux-image-arm64:arm64; as root: dpkg --add-architecture arm64 && apt-get update")) : cached.get(0);
    }

    static ModuleSource hello() {
        return new ModuleSource("lab_it_hello", release,
                Map.of("lab_it_hello.c", HELLO_C, "Kbuild", "obj-m := lab_it_hello.o\n"));
    }

    @Test
    @Order(1)
    void buildsAnArm64ModuleWhoseVermagicIsTheKernels() throws Exception {
        List<String> progress = new ArrayList<>();
        CrossBuild builder = new CrossBuild(home);
        long started = System.nanoTime();
        Path ko = builder.build(hello(), progress::add);
        if (progress.stream().anyMatch(p -> p.startsWith("using cached"))) {
            // built by an earlier run of this test: build it again so this run proves make works
            Trees.delete(ko.getParent());
            progress.clear();
            started = System.nanoTime();
            ko = builder.build(hello(), progress::add);
        }
        System.out.printf("cold build (headers %s) %.1fs: %s%n", progress.stream().anyMatch(p -> p.startsWith(
                "downloading")) ? "downloaded" : "cached", (System.nanoTime() - started) / 1e9, progress);

        assertTrue(progress.contains("building lab_it_hello.ko for " + release + " ..."), progress.toString());
        assertEquals(home.cache().resolve("modules"), ko.getParent().getParent());
        assertTrue(ko.getParent().getFileName().toString().matches("[0-9a-f]{64}"), ko.toString());
        assertEquals("lab_it_hello.ko", ko.getFileName().toString());
        Elf elf = Elf.parse(Files.readAllBytes(ko), ko.toString());
        assertEquals(Elf.ET_REL, elf.type(), "a module is a relocatable object");
        assertEquals(Elf.EM_AARCH64, elf.machine(), "built for the guest, not for this machine");
        Vermagic vermagic = Vermagic.read(ko);
        assertTrue(vermagic.text().startsWith(release + " "), vermagic.text());
        assertTrue(vermagic.isFor(release));
        assertEquals("GPL", elf.modinfo().get("license"));

        String log = Files.readString(ko.resolveSibling(CrossBuild.LOG));
        assertTrue(log.startsWith("$ make -C "), log);
        assertTrue(log.contains("LD [M]"), log);
        assertEquals(Set.of("lab_it_hello.ko", CrossBuild.LOG), names(ko.getParent()), "only the module and its log");
        assertNoBuildLeftovers();
    }

    /**
     * Both templates, rendered for the Debian arm64 kernel the VM tests boot, compile against its real headers (the
     * build also checks the rendered call forms against the kernel's declarations) into modules for that kernel.
     */
    @Test
    @Order(4)
    void bothTemplatesCompileAgainstTheDebianHeadersOfTheirKernel() throws Exception {
        ModuleTemplates templates = new ModuleTemplates();
        KernelRelease kernel = KernelRelease.parse(release);
        for (String template : List.of(ModulePreparation.STRESS_TEMPLATE, ModulePreparation.PATCH_TEMPLATE)) {
            assertTrue(templates.info(template).supports(kernel), template + " claims " + release);
            java.util.Map<String, Object> model = template.equals(ModulePreparation.STRESS_TEMPLATE)
                    ? java.util.Map.of("gfp", "GFP_KERNEL | __GFP_NOWARN") : java.util.Map.of();
            ModuleSource source = templates.render(template, kernel, "aarch64", model);
            Path ko = new CrossBuild(home).build(source, line -> { });
            Elf elf = Elf.parse(Files.readAllBytes(ko), ko.toString());
            assertEquals(Elf.EM_AARCH64, elf.machine());
            assertTrue(Vermagic.read(ko).isFor(release), template + ": " + Vermagic.read(ko).text());
            assertEquals(source.name(), elf.modinfo().get("name"), template);
        }
    }

    @Test
    @Order(2)
    void theSecondBuildIsACacheHitWithoutMake() throws Exception {
        CrossBuild builder = new CrossBuild(home);
        Path first = builder.build(hello(), line -> { });
        Path log = first.resolveSibling(CrossBuild.LOG);
        FileTime logged = Files.getLastModifiedTime(log);
        FileTime built = Files.getLastModifiedTime(first);

        List<String> progress = new ArrayList<>();
        long started = System.nanoTime();
        Path second = new CrossBuild(home).build(hello(), progress::add);
        System.out.printf("warm build %.2fs: %s%n", (System.nanoTime() - started) / 1e9, progress);

        assertEquals(first, second);
        assertEquals(logged, Files.getLastModifiedTime(log), "make ran again: build.log was rewritten");
        assertEquals(built, Files.getLastModifiedTime(second));
        assertEquals(List.of("using cached lab_it_hello.ko for " + release + " ("
                + second.getParent().getFileName().toString().substring(0, 12) + ")"), progress);
    }

    @Test
    @Order(3)
    void aSyntaxErrorFailsWithTheCompilersErrorLineAndLeavesNothingInTheCache() throws Exception {
        String broken = HELLO_C.replace("lab_it_hello", "lab_it_broken").replace("return 0;", "return 0");
        ModuleSource source = new ModuleSource("lab_it_broken", release,
                Map.of("lab_it_broken.c", broken, "Kbuild", "obj-m := lab_it_broken.o\n"));
        Set<String> before = names(home.cache().resolve("modules"));

        VmException e = assertThrows(VmException.class, () -> new CrossBuild(home).build(source, line -> { }));

        assertEquals(VmException.Kind.FAILED, e.kind());
        String message = e.getMessage();
        assertTrue(message.contains("lab_it_broken.ko"), message);
        assertTrue(message.contains(release), message);
        assertTrue(message.lines().anyMatch(l -> l.strip().matches("lab_it_broken\\.c:\\d+:\\d+: error: .*")), message);
        assertFalse(message.contains("/.tmp/"), "the temporary folder's path is cut from make's lines:\n" + message);
        System.out.println(message);
        assertEquals(before, names(home.cache().resolve("modules")), "a failed build adds nothing to the cache");
        assertNoBuildLeftovers();
    }

    private static void assertNoBuildLeftovers() throws IOException {
        Path tmp = home.cache().resolve("modules").resolve(".tmp");
        assertTrue(!Files.exists(tmp) || names(tmp).isEmpty(), "left in " + tmp + ": " + names(tmp));
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }
}
