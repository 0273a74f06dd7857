package dev.reclaimlab.vm;

import dev.reclaimlab.elf.Elf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shared libraries that guest programs need, transitively, found by soname among unpacked Debian packages. */
final class SharedLibraries {
    /** Where the guest's dynamic loader looks; the guest keeps every library in the first. */
    static final String GUEST_DIR = "/lib/aarch64-linux-gnu";
    private static final List<String> SEARCHED = List.of("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib",
            "usr/lib");

    private SharedLibraries() {}

    /**
     * Every library the {@code programs} ask for in their ELF headers, and those libraries ask for, by soname.
     *
     * @param packages the packages that were unpacked into {@code staging}, for the message when one is missing
     */
    static Map<String, Path> closure(Path staging, List<Path> programs, List<String> packages)
            throws IOException, VmException {
        Map<String, Path> found = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        List<Path> queue = new ArrayList<>(programs);
        while (!queue.isEmpty()) {
            Path next = queue.remove(0);
            for (String soname : Elf.parse(Files.readAllBytes(next), next.getFileName().toString()).needed()) {
                if (found.containsKey(soname) || missing.contains(soname)) {
                    continue;
                }
                Path lib = null;
                for (String dir : SEARCHED) {
                    Path candidate = staging.resolve(dir).resolve(soname);
                    if (Files.exists(candidate)) {
                        lib = candidate.toRealPath();
                        break;
                    }
                }
                if (lib == null) {
                    missing.add(soname);
                } else {
                    found.put(soname, lib);
                    queue.add(lib);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> names = programs.stream().map(p -> p.getFileName().toString()).toList();
            throw new VmException(VmException.Kind.FAILED, String.join(", ", names) + " need "
                    + String.join(", ", missing) + ", which none of the packages " + packages
                    + " provides (did Debian rename a library package?)");
        }
        return found;
    }

    /** The program's ELF interpreter (its dynamic loader), as the guest must have it. */
    static String interpreter(Path program) throws IOException, VmException {
        return Elf.parse(Files.readAllBytes(program), program.getFileName().toString()).interpreter()
                .orElseThrow(() -> new VmException(VmException.Kind.FAILED, program.getFileName()
                        + " has no ELF interpreter"));
    }
}
