package dev.reclaimlab.kmod;

import dev.reclaimlab.elf.Elf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A module's vermagic, e.g. {@code 6.1.0-56-arm64 SMP mod_unload modversions aarch64}: a kernel refuses a module
 * whose vermagic is not its own, so a caller checks {@link #isFor(String)} before copying a module to a host.
 */
public record Vermagic(String text) {
    /** Reads the {@code vermagic=} entry of the {@code .modinfo} section of {@code ko}. */
    public static Vermagic read(Path ko) throws IOException {
        try {
            String text = Elf.parse(Files.readAllBytes(ko), ko.toString()).modinfo().get("vermagic");
            if (text == null) {
                throw new IOException(ko + " has no vermagic in its .modinfo (not built by kbuild?)");
            }
            return new Vermagic(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The kernel release the module was built for: the first word. */
    public String release() {
        String s = text.strip();
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /**
     * Whether the module was built for the kernel whose {@code uname -r} is {@code release}. The rest of vermagic (SMP,
     * preempt, modversions) follows from that kernel's config, which the same headers supply.
     */
    public boolean isFor(String release) {
        return release().equals(release);
    }
}
