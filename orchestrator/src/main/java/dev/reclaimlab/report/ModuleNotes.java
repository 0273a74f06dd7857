package dev.reclaimlab.report;

import dev.reclaimlab.artifacts.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the kernel modules did in one iteration, read from the files its steps left in {@code kmod/}: the patch point
 * with its instructions before, while patched and after unloading, and the stress workers' counters. The counters
 * also become comparable values ({@code kmod.stress.calls}, {@code kmod.stress.reclaimed}).
 */
public record ModuleNotes(Map<String, String> patch, String before, String after, String restored,
                          Map<String, String> stress, boolean dmesg) {
    public ModuleNotes {
        patch = Collections.unmodifiableMap(new LinkedHashMap<>(patch));
        stress = Collections.unmodifiableMap(new LinkedHashMap<>(stress));
    }


    public static Optional<ModuleNotes> read(Path iterationDir) throws IOException {
        Path dir = iterationDir.resolve(RunLayout.KMOD);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(new ModuleNotes(keyValues(iterationDir.resolve(RunLayout.KMOD_PATCH_INFO)),
                text(iterationDir.resolve(RunLayout.KMOD_PATCH_BEFORE)), text(iterationDir.resolve(RunLayout.KMOD_PATCH_AFTER)),
                text(iterationDir.resolve(RunLayout.KMOD_PATCH_RESTORED)),
                keyValues(iterationDir.resolve(RunLayout.KMOD_STRESS)),
                Files.isRegularFile(iterationDir.resolve(RunLayout.KMOD_DMESG))));
    }

    /** The stress counters as numbers for comparisons. */
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : new String[] {"calls", "reclaimed"}) {
            String v = stress.get(key);
            if (v != null && v.matches("\\d{1,18}")) {
                values.put("kmod.stress." + key, Double.parseDouble(v));
            }
        }
        return values;
    }

    /** Restored means the text after unloading equals what lab read before loading. */
    public String restoredWord() {
        if (before.isEmpty() || restored.isEmpty()) {
            return "";
        }
        return before.equals(restored) ? "yes" : "NO";
    }

    private static String text(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file).strip() : "";
    }

    private static Map<String, String> keyValues(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    map.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return map;
    }
}
