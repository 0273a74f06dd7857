package dev.reclaimlab.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrubEntryTest {
    @Test
    void everyCommandLineWordIsSingleQuotedSoGrubExpandsAndSplitsNothing() {
        GrubEntry entry = new GrubEntry("reclaimlab-0123456789ab", "reclaim-lab, once: Linux 6.12", Optional.of("u-1"),
                "ext2", "/vmlinuz-6.12", Optional.of("/initrd.img-6.12"),
                "console=ttyAMA0 lab.x=$root;reboot");
        String text = entry.render();
        assertTrue(text.startsWith("menuentry 'reclaim-lab, once: Linux 6.12' --id 'reclaimlab-0123456789ab' {\n"), text);
        assertTrue(text.contains("\tsearch --no-floppy --fs-uuid --set=root 'u-1'\n"), text);
        assertTrue(text.contains("\tlinux\t'/vmlinuz-6.12' 'console=ttyAMA0' 'lab.x=$root;reboot'\n"), text);
        assertTrue(text.contains("\tinitrd\t'/initrd.img-6.12'\n"), text);
        assertTrue(text.endsWith("}\n"));
    }

    @Test
    void withoutAUuidGrubSearchesForTheKernelFile() {
        GrubEntry entry = new GrubEntry("reclaimlab-1", "t", Optional.empty(), "", "/boot/vmlinuz-6.1",
                Optional.empty(), "");
        assertTrue(entry.render().contains("\tsearch --no-floppy --file --set=root '/boot/vmlinuz-6.1'\n"));
        assertTrue(!entry.render().contains("initrd"));
    }

    @Test
    void aQuoteCannotReachGrub() {
        GrubEntry entry = new GrubEntry("reclaimlab-1", "t", Optional.empty(), "", "/k", Optional.empty(), "a='b'");
        assertThrows(IllegalArgumentException.class, entry::render);
    }

    @Test
    void theSameBootHasTheSameIdAndAnotherBootAnother() {
        assertEquals(GrubEntry.idFor("6.12.1-arm64", "quiet"), GrubEntry.idFor("6.12.1-arm64", "quiet"));
        assertNotEquals(GrubEntry.idFor("6.12.1-arm64", "quiet"), GrubEntry.idFor("6.12.1-arm64", "quiet x=1"));
        assertTrue(GrubEntry.idFor("6.1", "").matches("reclaimlab-[0-9a-f]{12}"));
    }

    @Test
    void theWordsGrubAndTheEfiStubAddAreNotCarriedIntoANewEntry() {
        assertEquals("console=ttyAMA0 quiet", GrubEntry.withoutLoaderWords(
                "BOOT_IMAGE=/vmlinuz-6.1.0-57-arm64 console=ttyAMA0 initrd=\\initrd.img quiet"));
    }

    @Test
    void probeOutputSaysWhyGrubCannotBootOnce() {
        GrubProbe none = GrubProbe.parse("grubdir=\nboot_prefix=/boot\n");
        assertTrue(none.unusable().orElseThrow().contains("no GRUB configuration"));
        GrubProbe noOnce = GrubProbe.parse("grubdir=/boot/grub\nreboot_tool=grub-reboot\neditenv=grub-editenv\n"
                + "custom=yes\n");
        assertTrue(noOnce.unusable().orElseThrow().contains("does not boot next_entry once"));
        GrubProbe ok = GrubProbe.parse("grubdir=/boot/grub\nreboot_tool=grub-reboot\neditenv=grub-editenv\n"
                + "one_time=yes\ncustom=yes\nboot_prefix=\nboot_uuid=0d3e-11\nkernel=/boot/vmlinuz-6.1\n"
                + "installed= 6.1 6.12\n");
        assertEquals(Optional.empty(), ok.unusable());
        assertEquals("", ok.bootPrefix());
        assertEquals(Optional.of("0d3e-11"), ok.bootUuid());
        assertEquals(java.util.List.of("6.1", "6.12"), ok.installed());
        GrubProbe odd = GrubProbe.parse("grubdir=/boot/my grub\nkernel=/boot/vmlinuz-$(x)\nboot_uuid=a b\n");
        assertEquals(Optional.empty(), odd.grubDir(), "a path lab cannot pass plainly is not used");
        assertEquals(Optional.empty(), odd.kernelFile());
        assertEquals(Optional.empty(), odd.bootUuid());
    }
}
