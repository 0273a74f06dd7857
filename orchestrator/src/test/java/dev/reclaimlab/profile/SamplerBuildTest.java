package dev.reclaimlab.profile;

import dev.reclaimlab.local.LabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lab's sampler built on this machine for a host: static, cached by checksum, refused for what cannot be built. */
class SamplerBuildTest {

    @Test
    void theSamplerIsBuiltStaticallyOnceAndTakenFromTheCacheAfter(@TempDir Path home) throws Exception {
        SamplerBuild build = new SamplerBuild(new LabHome(home));
        String machine = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64";
        StringBuilder said = new StringBuilder();
        Path first = build.build(machine, said::append);
        assertTrue(Files.isExecutable(first), first.toString());
        assertTrue(said.toString().contains("building lab's sampler with cc"), said.toString());
        byte[] elf = Files.readAllBytes(first);
        assertEquals(0x7f, elf[0]);
        assertTrue(Files.readString(first.resolveSibling("build.log")).contains("-static"), "linked statically");
        said.setLength(0);
        assertEquals(first, build.build(machine, said::append), "the same build, from the cache");
        assertEquals("", said.toString(), "nothing built the second time");
    }

    @Test
    void aMachineWithoutACompilerHereIsRefusedWithWhy(@TempDir Path home) {
        assertEquals(Optional.empty(), SamplerBuild.compiler("riscv64"));
        ProfileException e = assertThrows(ProfileException.class,
                () -> new SamplerBuild(new LabHome(home)).build("riscv64", s -> { }));
        assertEquals("lab's sampler cannot be built for a riscv64 host on this machine (x86_64 and aarch64 only)",
                e.getMessage());
    }
}
