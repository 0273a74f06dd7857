package dev.reclaimlab.cli;

import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.yaml.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check plans without touching any host; every problem is reported as file:line:column.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN", arity = "1..*", description = "Plans (YAML) to check.")
    List<Path> plans;

    @Override
    public Integer call() {
        int exit = ExitCodes.OK;
        for (Path file : plans) {
            try {
                PlanFile plan = PlanLoader.load(file);
                System.out.printf("%s: ok (%d variant%s x %d repeat%s)%n", file, plan.variants().size(),
                        plan.variants().size() == 1 ? "" : "s", plan.repeat(), plan.repeat() == 1 ? "" : "s");
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                exit = ExitCodes.BAD_INPUT;
            }
        }
        return exit;
    }
}
