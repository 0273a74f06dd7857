package dev.reclaimlab.cli;

import dev.reclaimlab.plan.ParamOverride;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.yaml.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The plan's parameters and variants as the command line sets and chooses them; shared by run and plan. */
final class PlanOptions {
    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE[,VALUE...]",
            description = {"Set a parameter of the plan: a default of params, or the values of a matrix parameter "
                    + "(several values make a params default a matrix dimension). Values are YAML: quote one that "
                    + "holds a comma. Repeatable, e.g. -p pods=10 -p swappiness=100,0."})
    List<String> params = new ArrayList<>();

    @Option(names = "--variant", paramLabel = "NAME=VALUE[,VALUE...]",
            description = {"Run only the variants whose matrix parameter NAME has one of these values, e.g. "
                    + "--variant point=A. Repeatable: every one must hold."})
    List<String> variants = new ArrayList<>();

    /** Loads {@code file} with the command line's parameters and choices applied; all problems located. */
    PlanFile load(Path file) throws ConfigException {
        List<ParamOverride> overrides = new ArrayList<>();
        params.forEach(p -> overrides.add(ParamOverride.set(p)));
        variants.forEach(v -> overrides.add(ParamOverride.select(v)));
        return PlanLoader.load(file, overrides);
    }
}
