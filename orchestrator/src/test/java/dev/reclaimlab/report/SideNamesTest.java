package dev.reclaimlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.artifacts.IterationStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SideNamesTest {
    private static Side side(String run, String host, String kernel, String cmdline, Map<String, String> variant) {
        String label = variant.isEmpty() ? "" : String.join(", ", variant.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        Sample sample = new Sample(run, host, new LinkedHashMap<>(variant), label, 1, IterationStatus.OK, Path.of("."),
                null, Map.of(), kernel, cmdline);
        return new Side(run, run, List.of(sample), null);
    }

    private static List<String> names(Side... sides) {
        return SideNames.name(List.of(sides)).stream().map(Side::label).toList();
    }

    @Test
    void sidesOfTwoKernelsAreNamedByTheKernelAndTheCommandLineWordsThatDiffer() {
        assertEquals(List.of("6.1.0-57-arm64, +cgroup.memory=nokmem", "6.12.117-arm64, no cgroup.memory=nokmem"),
                names(side("20261201-193233-53b5", "k61", "6.1.0-57-arm64",
                                "BOOT_IMAGE=/vmlinuz-6.1.0-57-arm64 console=ttyAMA0 cgroup.memory=nokmem", Map.of()),
                        side("20261201-201010-0a1c", "k61", "6.12.117-arm64",
                                "BOOT_IMAGE=/vmlinuz-6.12.117-arm64 console=ttyAMA0", Map.of())));
    }

    @Test
    void onlyTheVariantValuesThatDifferNameTheSidesOfOneRun() {
        assertEquals(List.of("pods=10", "pods=40"),
                names(side("r1", "h", "6.1", "", Map.of("point", "none", "pods", "10")),
                        side("r1", "h", "6.1", "", Map.of("point", "none", "pods", "40"))));
        assertEquals(List.of("swappiness=100"), names(side("r1", "h", "6.1", "", Map.of("swappiness", "100"))),
                "a side alone keeps its variant's name");
    }

    @Test
    void sidesAlikeInEverythingButTheirRunAreToldApartByIt() {
        assertEquals(List.of("h1 (r1)", "h1 (r2)", "h2"), names(side("r1", "h1", "6.1", "", Map.of()),
                side("r2", "h1", "6.1", "", Map.of()), side("r3", "h2", "6.1", "", Map.of())));
    }

    @Test
    void theDescriptionSaysEverythingForTheHoverAndTheAppendix() {
        Side named = SideNames.name(List.of(side("20261201-193233-53b5", "k61", "6.1.0-57-arm64", "console=ttyAMA0",
                Map.of("pods", "10")))).get(0);
        assertEquals("run 20261201-193233-53b5; host k61; kernel 6.1.0-57-arm64; cmdline console=ttyAMA0; variant "
                + "pods=10", named.description());
        assertTrue(named.samples().size() == 1);
    }
}
