package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelBuildTreeTest {
    /** The whole Makefile of linux-headers-6.1.0-56-arm64 6.1.192-2. */
    static final String DEBIAN_MAKEFILE = "include /usr/src/linux-headers-6.1.0-56-common/Makefile\n";

    @Test
    void theAbsoluteIncludeBecomesRelativeToTheMakefilesOwnFolder() {
        String relocated = KernelBuildTree.relocate(DEBIAN_MAKEFILE);
        assertEquals("include $(dir $(lastword $(MAKEFILE_LIST)))../linux-headers-6.1.0-56-common/Makefile\n",
                relocated);
        assertFalse(KernelBuildTree.pointsOutside(relocated));
        assertTrue(KernelBuildTree.pointsOutside(DEBIAN_MAKEFILE));
    }

    @Test
    void onlyIncludesOfUsrSrcAreTouched() {
        String makefile = "# built from /usr/src/linux\n-include /usr/src/extra/Makefile\ninclude local.mk\n";
        assertEquals("# built from /usr/src/linux\n-include $(dir $(lastword $(MAKEFILE_LIST)))../extra/Makefile\n"
                + "include local.mk\n", KernelBuildTree.relocate(makefile));
        assertTrue(KernelBuildTree.pointsOutside("include /opt/kernel/Makefile\n"));
    }

    @Test
    void theCompilerIsTheOneDebiansKernelVariablesName() {
        String variables = """
                override ARCH = arm64
                override KERNELRELEASE = 6.1.0-56-arm64
                CCACHE = ccache
                CC = $(if $(DEBIAN_KERNEL_USE_CCACHE),$(CCACHE)) $(CROSS_COMPILE)gcc-12
                ifneq ($(DEB_BUILD_ARCH),$(DEB_HOST_ARCH))
                override CROSS_COMPILE = $(DEB_HOST_GNU_TYPE)-
                endif
                """;
        assertEquals("aarch64-linux-gnu-gcc-12", KernelBuildTree.compilerOf(variables));
        assertEquals("aarch64-linux-gnu-gcc", KernelBuildTree.compilerOf(""));
    }

    @Test
    void aTreeIsCompleteOnlyWithItsRecordAndMakefile(@TempDir Path root) throws Exception {
        KernelBuildTree tree = new KernelBuildTree(root, "6.1.0-56-arm64", "6.1.192-2", "aarch64-linux-gnu-gcc-12");
        Files.createDirectories(tree.dir());
        Files.writeString(tree.dir().resolve("Makefile"), DEBIAN_MAKEFILE);
        assertTrue(KernelBuildTree.load(root).isEmpty(), "no record yet: an unpack that was cut short");
        tree.writeRecord("a.deb,b.deb");
        assertEquals(tree, KernelBuildTree.load(root).orElseThrow());
        assertEquals(root.resolve("usr/src/linux-headers-6.1.0-56-arm64"), tree.dir());
    }
}
