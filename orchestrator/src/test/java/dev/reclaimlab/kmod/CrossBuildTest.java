package dev.reclaimlab.kmod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.reclaimlab.vm.KernelBuildTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossBuildTest {
    static final ModuleSource HELLO = new ModuleSource("hello", "6.1.0-56-arm64",
            Map.of("hello.c", "int x;\n", "Kbuild", "obj-m := hello.o\n"));
    static final KernelBuildTree TREE = new KernelBuildTree(Path.of("/lab/cache/arm64/headers/6.1.0-56-arm64"),
            "6.1.0-56-arm64", "6.1.192-2", "aarch64-linux-gnu-gcc-12");
    static final String GCC = "aarch64-linux-gnu-gcc-12 (Debian 12.2.0-14) 12.2.0";

    @Test
    void aModuleIsKeptUnderTheChecksumOfItsSourceKernelHeadersAndCompiler() {
        Path modules = Path.of("/lab/cache/arm64/modules");
        String buildFor = CrossBuild.buildFor(TREE, GCC);
        assertEquals("release=6.1.0-56-arm64\nheaders=6.1.192-2\ncompiler=" + GCC, buildFor);
        Path dir = CrossBuild.cacheDir(modules, HELLO, buildFor);
        assertEquals(modules.resolve(HELLO.checksum(buildFor)), dir);
        assertEquals(64, dir.getFileName().toString().length());

        // a compiler update or new headers for the same ABI build anew
        assertNotEquals(dir, CrossBuild.cacheDir(modules, HELLO,
                CrossBuild.buildFor(TREE, "aarch64-linux-gnu-gcc-12 (Debian 12.2.0-15) 12.2.0")));
        assertNotEquals(dir, CrossBuild.cacheDir(modules, HELLO, CrossBuild.buildFor(
                new KernelBuildTree(TREE.root(), TREE.release(), "6.1.192-3", TREE.compiler()), GCC)));
    }

    @Test
    void theCompilersErrorLinesAreQuotedWithoutTheTemporaryFolder() {
        Path src = Path.of("/lab/cache/arm64/modules/.tmp/hello-123/src");
        String output = String.join("\n",
                "make: Entering directory '/lab/cache/arm64/headers/6.1.0-56-arm64/usr/src/linux-headers-6.1.0-56'",
                "  CC [M]  " + src + "/hello.o",
                src + "/hello.c: In function 'hello_init':",
                src + "/hello.c:5:9: error: expected ';' before 'return'",
                "    5 |         return 0;",
                src + "/hello.c:9:1: warning: no return statement in function returning non-void [-Wreturn-type]",
                "make[2]: *** [scripts/Makefile.build:250: " + src + "/hello.o] Error 1",
                "make: *** [../linux-headers-6.1.0-56-common/Makefile:2065: " + src + "] Error 2",
                "make: Leaving directory '/lab/cache/arm64/headers'");
        assertEquals(List.of("hello.c:5:9: error: expected ';' before 'return'",
                "hello.c:9:1: warning: no return statement in function returning non-void [-Wreturn-type]",
                "make[2]: *** [scripts/Makefile.build:250: hello.o] Error 1",
                "make: *** [../linux-headers-6.1.0-56-common/Makefile:2065: .] Error 2"),
                CrossBuild.diagnostics(output, src));
    }

    @Test
    void atMostThirtyLinesAreQuotedAndTheTailWhenNoneMentionsAnError() {
        Path src = Path.of("/tmp/src");
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            many.append("/tmp/src/m.c:").append(i).append(":1: error: bad\n");
        }
        List<String> quoted = CrossBuild.diagnostics(many.toString(), src);
        assertEquals(CrossBuild.DIAGNOSTIC_LINES, quoted.size());
        assertEquals("m.c:1:1: error: bad", quoted.get(0));

        StringBuilder quiet = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            quiet.append("line ").append(i).append('\n');
        }
        List<String> tail = CrossBuild.diagnostics(quiet.toString(), src);
        assertEquals(10, tail.size());
        assertEquals("line 20", tail.get(9));
    }
}
