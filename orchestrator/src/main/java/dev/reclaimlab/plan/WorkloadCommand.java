package dev.reclaimlab.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a workload runs. Each kind reaches the host's shell differently; see {@code dev.reclaimlab.step}. */
public sealed interface WorkloadCommand {

    /** {@code dd} with operands ({@code if}, {@code of}, {@code bs}, {@code count}, ...), each passed as one quoted word. */
    record Dd(Map<String, String> operands) implements WorkloadCommand {
        public Dd {
            operands = Collections.unmodifiableMap(new LinkedHashMap<>(operands));
        }
    }

    /** A program and its arguments: each argument is quoted, nothing is interpreted by a shell. */
    record Argv(List<String> argv) implements WorkloadCommand {
        public Argv {
            argv = List.copyOf(argv);
        }
    }

    /** A shell script the user wrote on purpose; it is handed to {@code sh -c} as one quoted word. */
    record Shell(String script) implements WorkloadCommand {}
}
