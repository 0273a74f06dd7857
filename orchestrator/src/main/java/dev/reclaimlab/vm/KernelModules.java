package dev.reclaimlab.vm;

import dev.reclaimlab.elf.Elf;
import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Picks the kernel modules a guest needs out of an unpacked {@code linux-image} package, with everything they depend
 * on, in load order. The guest loads them with busybox insmod in that order, so it needs no modules.dep (no depmod on
 * the host) and no module compression support (compressed modules are unpacked here).
 */
final class KernelModules {
    /** What a guest cannot boot without: PCI virtio transport, disk, network, ext4 and the crc32c ext4 asks for. */
    static final List<String> REQUIRED = List.of("virtio_pci", "virtio_blk", "virtio_net", "ext4", "crc32c_generic");
    /**
     * Nice to have: entropy from the host for the SSH server's first seconds; for VMs that boot through UEFI, the
     * EFI system partition (FAT, with Debian's default code page and character set) and the firmware's variables.
     */
    static final List<String> OPTIONAL = List.of("virtio_rng", "vfat", "nls_cp437", "nls_ascii", "efivarfs");

    /** One module as the guest gets it: uncompressed, under its module name. */
    record Module(String name, byte[] bytes, List<String> depends) {
        public Module {
            depends = List.copyOf(depends);
        }
    }

    private KernelModules() {}

    /**
     * The modules {@code required} and {@code optional} name, and their dependencies, dependencies first. A required
     * module the package has neither as a file nor built in is an error; built-in ones are left out.
     *
     * @param release the {@code lib/modules/RELEASE} folder of the unpacked package
     */
    static List<Module> resolve(Path release, List<String> required, List<String> optional)
            throws IOException, VmException {
        Map<String, Path> files = index(release.resolve("kernel"));
        Set<String> builtin = builtin(release.resolve("modules.builtin"));
        Map<String, Module> loaded = new HashMap<>();
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : required) {
            visit(normalise(name), true, files, builtin, loaded, ordered, new HashSet<>());
        }
        for (String name : optional) {
            visit(normalise(name), false, files, builtin, loaded, ordered, new HashSet<>());
        }
        List<Module> out = new ArrayList<>();
        ordered.forEach(n -> out.add(loaded.get(n)));
        return out;
    }

    private static void visit(String name, boolean required, Map<String, Path> files, Set<String> builtin,
                              Map<String, Module> loaded, Set<String> ordered, Set<String> path)
            throws IOException, VmException {
        if (ordered.contains(name) || builtin.contains(name)) {
            return;
        }
        Path file = files.get(name);
        if (file == null) {
            if (required) {
                throw new VmException(VmException.Kind.FAILED, "the kernel package has no module " + name
                        + " (neither a .ko file nor built in); this kernel cannot boot as a lab VM");
            }
            return;
        }
        if (!path.add(name)) {
            throw new VmException(VmException.Kind.FAILED, "kernel modules depend on each other in a circle at " + name);
        }
        Module module = loaded.get(name);
        if (module == null) {
            byte[] bytes = read(file);
            Map<String, String> info = Elf.parse(bytes, file.getFileName().toString()).modinfo();
            List<String> depends = new ArrayList<>();
            for (String dep : info.getOrDefault("depends", "").split(",")) {
                if (!dep.isBlank()) {
                    depends.add(normalise(dep.strip()));
                }
            }
            module = new Module(name, bytes, depends);
            loaded.put(name, module);
            // softdep "pre:" names are often aliases (crypto-crc32c); those that are module names load first too
            for (String soft : softPre(info.getOrDefault("softdep", ""))) {
                if (files.containsKey(soft)) {
                    visit(soft, false, files, builtin, loaded, ordered, path);
                }
            }
        }
        for (String dep : module.depends()) {
            visit(dep, true, files, builtin, loaded, ordered, path);
        }
        path.remove(name);
        ordered.add(name);
    }

    /** Module names as the kernel spells them: dashes in file names are underscores. */
    static String normalise(String name) {
        return name.replace('-', '_');
    }

    static String moduleName(Path file) {
        String f = file.getFileName().toString();
        int ko = f.indexOf(".ko");
        return normalise(ko > 0 ? f.substring(0, ko) : f);
    }

    private static List<String> softPre(String softdep) {
        List<String> out = new ArrayList<>();
        boolean pre = false;
        for (String word : softdep.trim().split("\\s+")) {
            if (word.equals("pre:")) {
                pre = true;
            } else if (word.endsWith(":")) {
                pre = false;
            } else if (pre && !word.isEmpty()) {
                out.add(normalise(word));
            }
        }
        return out;
    }

    private static Map<String, Path> index(Path kernel) throws IOException {
        Map<String, Path> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(kernel)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.ko(\\.xz|\\.zst|\\.gz)?"))
                    .forEach(p -> files.put(moduleName(p), p));
        }
        return files;
    }

    private static Set<String> builtin(Path list) throws IOException {
        Set<String> names = new HashSet<>();
        if (Files.exists(list)) {
            for (String line : Files.readAllLines(list)) {
                if (!line.isBlank()) {
                    names.add(moduleName(Path.of(line.strip())));
                }
            }
        }
        return names;
    }

    /** The module's bytes, decompressed if the package compresses modules (Debian does from 6.x on some series). */
    private static byte[] read(Path file) throws IOException, VmException {
        String f = file.getFileName().toString();
        if (f.endsWith(".ko")) {
            return Files.readAllBytes(file);
        }
        if (f.endsWith(".gz")) {
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                return in.readAllBytes();
            }
        }
        String tool = f.endsWith(".xz") ? "xz" : "zstd";
        if (HostCommand.which(tool).isEmpty()) {
            throw new VmException(VmException.Kind.MISSING, "this kernel's modules are compressed with " + tool
                    + ", which is missing; install it as root with: apt-get install -y "
                    + (tool.equals("xz") ? "xz-utils" : "zstd"));
        }
        Path out = Files.createTempFile("lab-module-", ".ko");
        try {
            ProcessBuilder pb = new ProcessBuilder(tool, "-dc", file.toString())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            HostCommand.environment(pb.environment());
            Process p = pb.start();
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(tool + " could not decompress " + file);
            }
            return Files.readAllBytes(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

}
