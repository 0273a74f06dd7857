package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.LabHome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code lab vm list --kernels}: the arm64 kernel ABIs apt offers now and those already prepared in the cache; and
 * the releases to build kernel modules for when no VM names one.
 */
public final class Kernels {
    private Kernels() {}

    /** What {@code uname -r} prints in the guests of the kernels prepared in the cache, newest first. */
    public static List<String> cachedReleases(LabHome home) throws IOException {
        GuestCache cache = new GuestCache(home.cache(), line -> { });
        List<String> releases = new ArrayList<>();
        for (String abi : cache.kernels()) {
            releases.add(cache.cachedKernel(abi).orElseThrow().release());
        }
        return releases;
    }

    /** The release of the kernel Debian's {@code linux-image-arm64} points at, if apt knows it. */
    public static Optional<String> debianDefaultRelease() throws IOException {
        return KernelCatalog.debianDefault().map(KernelCatalog::releaseOf);
    }

    public static List<String> describe(VmRegistry registry) throws IOException, VmException {
        if (HostCommand.which("apt-cache").isEmpty()) {
            throw new VmException(VmException.Kind.MISSING, "apt-cache is missing: lab vm builds guests from Debian "
                    + "packages and needs a Debian or Ubuntu machine");
        }
        List<String> available = KernelCatalog.available();
        Optional<String> debian = KernelCatalog.debianDefault();
        List<String> cached = new GuestCache(registry.home().cache(), line -> { }).kernels();
        List<String> all = new ArrayList<>(available);
        cached.stream().filter(c -> !all.contains(c)).forEach(all::add);
        all.sort(KernelCatalog.NEWEST_FIRST.reversed());
        List<String> lines = new ArrayList<>();
        if (all.isEmpty()) {
            lines.add("no arm64 kernels: as root, dpkg --add-architecture arm64 && apt-get update");
            return lines;
        }
        lines.add(String.format("%-18s %s", "KERNEL ABI", "WHERE"));
        for (String abi : all) {
            List<String> notes = new ArrayList<>();
            notes.add(available.contains(abi) ? "archive" : "cache only (gone from the archive)");
            if (cached.contains(abi) && available.contains(abi)) {
                notes.add("cached");
            }
            if (debian.isPresent() && debian.get().equals(abi)) {
                notes.add("default (" + KernelCatalog.META + ")");
            }
            lines.add(String.format("%-18s %s", abi, String.join(", ", notes)));
        }
        return lines;
    }
}
