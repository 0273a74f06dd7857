package dev.reclaimlab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reclaimlab.yaml.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters set and variants chosen on the command line ({@code -p}, {@code --variant}), checked with the plan. */
class PlanOverridesTest {
    private static final String PLAN = String.join("\n",
            "name: storm",
            "params:",
            "  pods: 40",
            "  limit: 300M",
            "cgroups:",
            "  - path: kubepods",
            "    memory_limit: ${limit}",
            "    children:",
            "      count: ${pods}",
            "      prefix: pod",
            "workloads:",
            "  - name: w",
            "    cgroup: kubepods",
            "    copies: per-child",
            "    command: [echo, \"${point}\"]",
            "variants:",
            "  matrix:",
            "    point: [none, A, B]",
            "");

    @TempDir
    Path dir;

    private PlanFile load(String... overrides) throws ConfigException {
        return PlanLoader.load(PlanTesting.write(dir, PLAN), List.of(overrides).stream()
                .map(o -> o.startsWith("variant:") ? ParamOverride.select(o.substring(8)) : ParamOverride.set(o))
                .toList());
    }

    private List<String> problems(String... overrides) {
        return PlanTesting.rendered(assertThrows(ConfigException.class, () -> load(overrides)));
    }

    private static List<Map<String, String>> variants(PlanFile plan) {
        return plan.variants().stream().map(Variant::values).toList();
    }

    @Test
    void aParameterSetOnTheCommandLineReplacesItsDefaultWithItsYamlType() throws Exception {
        PlanFile plan = load("pods=10");
        assertEquals(10, plan.resolved().get(0).cgroups().get(0).children().orElseThrow().count());
        assertEquals(3, plan.variants().size(), "the matrix is as the plan says");
        assertEquals(40, load().resolved().get(0).cgroups().get(0).children().orElseThrow().count());
    }

    @Test
    void matrixValuesAreReplacedAndSeveralValuesMakeADefaultAMatrixDimension() throws Exception {
        assertEquals(List.of(Map.of("point", "A"), Map.of("point", "C")), variants(load("point=A,C")));
        PlanFile swept = load("pods=10,20", "point=none");
        assertEquals(List.of(Map.of("point", "none", "pods", "10"), Map.of("point", "none", "pods", "20")),
                variants(swept));
        assertEquals(List.of(10, 20), swept.resolved().stream()
                .map(p -> p.cgroups().get(0).children().orElseThrow().count()).toList());
        assertEquals(List.of(Map.of("point", "a,b")), variants(load("point=\"a,b\"")), "a quoted comma is text");
    }

    @Test
    void aVariantChoiceRunsOnlyThoseOfTheMatrixInItsOrder() throws Exception {
        assertEquals(List.of(Map.of("point", "A")), variants(load("variant:point=A")));
        assertEquals(List.of(Map.of("point", "none"), Map.of("point", "B")), variants(load("variant:point=B,none")));
        assertEquals(List.of(Map.of("point", "A", "pods", "5"), Map.of("point", "A", "pods", "6")),
                variants(load("pods=5,6", "variant:point=A")));
    }

    @Test
    void badOverridesAreReportedAtTheArgumentWithWhatWasExpected() {
        assertEquals(List.of(
                        "--variant pods=1 (column 1): 'pods' is not a matrix parameter, so it has no variants to choose "
                                + "from; set it with -p pods=VALUE",
                        "--variant point=C (column 7): point has no variant \"C\" (its values: none, A, B)",
                        "-p limit=1M,1M (column 10): limit: value \"1M\" is given twice",
                        "-p podz=1 (column 1): the plan has no parameter 'podz'; did you mean pods? (it has: point, "
                                + "pods, limit)",
                        "-p point= (column 7): expected one or more values after 'point=', separated by commas (quote "
                                + "a value that holds one)"),
                problems("podz=1", "point=", "limit=1M,1M", "variant:pods=1", "variant:point=C").stream().sorted()
                        .toList());
        assertEquals(List.of("-p pods (column 1): expected NAME=VALUE[,VALUE...]",
                "-p pods=2 (column 1): parameter 'pods' is given twice with -p"), problems("pods", "pods=1", "pods=2"));
    }

    @Test
    void aValueThatBreaksThePlanIsReportedWhereItIsUsedAndSaysWhereItCameFrom() {
        assertEquals(List.of("plan.yaml:7:19: memory_limit: expected a size like 100M, 1G, 64Mi or 4096, or max, got "
                + "\"lots\" (parameter limit=lots; from -p limit=lots)"), problems("limit=lots"));
    }
}
