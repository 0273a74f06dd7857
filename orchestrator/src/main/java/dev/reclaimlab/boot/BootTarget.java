package dev.reclaimlab.boot;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A boot lab is asked for: a kernel and words added to or removed from the command line. Iterations with equal
 * targets share one boot.
 *
 * @param kernel a release already installed ({@code uname -r} form), a Debian kernel package by name or version, a
 *               {@code .deb} or {@code .rpm} file, or a folder with {@code vmlinuz} and {@code initrd}; empty: the
 *               kernel the host boots by default
 * @param add    words the command line must hold ({@code cgroup.memory=nokmem})
 * @param remove words that must not be on it: {@code key=value} exactly, a bare {@code key} in any form
 */
public record BootTarget(Optional<String> kernel, List<String> add, List<String> remove) {
    /**
     * A kernel as lab accepts it: no blanks, quotes or shell specials, since it is named in commands and file names on
     * the host, and not starting with '-'.
     */
    public static final Pattern KERNEL = Pattern.compile("(?!-)[A-Za-z0-9_.+~:/=-]{1,255}");
    /**
     * A command-line word: printable ASCII without blanks or quotes, so that it reads back from {@code /proc/cmdline}
     * as written and needs no quoting in a boot loader's configuration.
     */
    public static final Pattern CMDLINE_WORD = Pattern.compile("[!#-&(-~]{1,255}");

    public BootTarget {
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    /** The host's own default kernel and command line. */
    public static BootTarget hostDefault() {
        return new BootTarget(Optional.empty(), List.of(), List.of());
    }

    public boolean isHostDefault() {
        return kernel.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    /** What the host must show once booted into this, with the release the boot method resolved the kernel to. */
    public BootExpectation expecting(Optional<String> release) {
        return new BootExpectation(release, add, remove);
    }

    /** For people: {@code kernel 6.12.57+deb13-arm64, cmdline +cgroup.memory=nokmem -quiet}. */
    public String label() {
        if (isHostDefault()) {
            return "the host's default kernel and command line";
        }
        StringBuilder s = new StringBuilder("kernel ").append(kernel.orElse("(the default)"));
        if (!add.isEmpty() || !remove.isEmpty()) {
            s.append(", cmdline");
            add.forEach(w -> s.append(" +").append(w));
            remove.forEach(w -> s.append(" -").append(w));
        }
        return s.toString();
    }
}
