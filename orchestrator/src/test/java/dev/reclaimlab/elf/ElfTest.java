package dev.reclaimlab.elf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfTest {
    @Test
    void readsInterpreterAndNeededLibrariesOfARealProgram() throws Exception {
        Path ls = Path.of("/bin/ls").toRealPath(); // any dynamically linked 64-bit program of this machine
        Elf elf = Elf.parse(Files.readAllBytes(ls), ls.toString());
        assertTrue(elf.interpreter().orElseThrow().matches("/lib.*/ld-linux.*\\.so\\.\\d+"), elf.interpreter().toString());
        assertTrue(elf.needed().contains("libc.so.6"), elf.needed().toString());
    }

    @Test
    void readsAModulesModinfoJoiningRepeatedKeys() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("license", "GPL");
        info.put("depends", "jbd2,mbcache,crc16");
        info.put("softdep", "pre: crypto-crc32c");
        info.put("name", "ext4");
        Map<String, String> read = Elf.parse(TestElf.module(info), "ext4.ko").modinfo();
        assertEquals(info, read);
    }

    @Test
    void readsTheTypeAndMachineOfAModule() {
        Elf elf = Elf.parse(TestElf.module(Map.of("license", "GPL")), "m.ko");
        assertEquals(Elf.ET_REL, elf.type());
        assertEquals(Elf.EM_AARCH64, elf.machine());
    }

    @Test
    void refusesWhatIsNotA64BitLittleEndianElf() {
        assertThrows(IllegalArgumentException.class, () -> Elf.parse("#!/bin/sh\necho hi\n".getBytes(), "script"));
        byte[] elf32 = new byte[64];
        elf32[0] = 0x7f;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;
        elf32[5] = 1;
        assertThrows(IllegalArgumentException.class, () -> Elf.parse(elf32, "elf32"));
    }
}
