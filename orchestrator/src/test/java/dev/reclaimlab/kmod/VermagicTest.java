package dev.reclaimlab.kmod;

import dev.reclaimlab.elf.TestElf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VermagicTest {
    @TempDir
    Path dir;

    @Test
    void readsTheVermagicOfAModule() throws Exception {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("license", "GPL");
        info.put("depends", "");
        info.put("name", "hello");
        info.put("vermagic", "6.1.0-56-arm64 SMP mod_unload modversions aarch64");
        Path ko = dir.resolve("hello.ko");
        Files.write(ko, TestElf.module(info));

        Vermagic vermagic = Vermagic.read(ko);
        assertEquals("6.1.0-56-arm64 SMP mod_unload modversions aarch64", vermagic.text());
        assertEquals("6.1.0-56-arm64", vermagic.release());
        assertTrue(vermagic.isFor("6.1.0-56-arm64"));
        assertFalse(vermagic.isFor("6.1.0-55-arm64"));
        assertFalse(vermagic.isFor("6.1.0-56"), "a prefix of the release is another kernel");
    }

    @Test
    void aFileWithoutVermagicIsAnError() throws Exception {
        Path noVermagic = dir.resolve("a.ko");
        Files.write(noVermagic, TestElf.module(Map.of("license", "GPL")));
        assertTrue(assertThrows(IOException.class, () -> Vermagic.read(noVermagic)).getMessage().contains("vermagic"));
        Path script = dir.resolve("b.ko");
        Files.writeString(script, "#!/bin/sh\n");
        assertTrue(assertThrows(IOException.class, () -> Vermagic.read(script)).getMessage().contains("not an ELF"));
    }
}
