package dev.reclaimlab.bisect;

import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.yaml.Binder;
import dev.reclaimlab.yaml.ConfigException;
import dev.reclaimlab.yaml.Fields;
import dev.reclaimlab.yaml.Node;
import dev.reclaimlab.yaml.Problems;
import dev.reclaimlab.yaml.ScalarNode;
import dev.reclaimlab.yaml.Value;
import dev.reclaimlab.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A candidates file: a YAML list, oldest first, of kernels as a plan's {@code boot.kernel} takes them, each either
 * plain or with command-line words of its own:
 * <pre>
 * - 6.1.0-44
 * - kernel: 6.1.0-45
 *   cmdline: {add: [cgroup.memory=nokmem], remove: [quiet]}
 * </pre>
 * Mistakes are reported with the file, line and column, all at once.
 */
public final class CandidateFile {
    static final List<String> KEYS = List.of("kernel", "cmdline");
    static final List<String> CMDLINE_KEYS = List.of("add", "remove");
    private static final Value<String> KERNEL = Value.matching(BootTarget.KERNEL,
            "a kernel: an installed release, a Debian package or ABI, a .deb/.rpm file or a folder (no blanks or quotes)");
    private static final Value<String> WORD = Value.matching(BootTarget.CMDLINE_WORD,
            "a command-line word (printable, no blanks or quotes)");

    private CandidateFile() {}

    public static List<Candidate> load(Path file) throws ConfigException {
        Node root = YamlReader.read(file);
        Problems problems = new Problems();
        Binder b = new Binder(problems);
        List<Candidate> out = new ArrayList<>();
        b.list(root, "candidates", "a list of kernels, oldest first").ifPresent(items -> {
            for (Node item : items) {
                if (item instanceof ScalarNode) {
                    b.read(item, "candidate", KERNEL).ifPresent(k -> out.add(Candidate.kernel(k)));
                    continue;
                }
                b.fields(item, "candidate", "candidate", KEYS).ifPresent(f -> candidate(f).ifPresent(out::add));
            }
        });
        if (problems.isEmpty() && out.size() < 2) {
            problems.add(root.at(), "a bisect needs at least two candidates (a good and a bad kernel); found "
                    + out.size());
        }
        problems.throwIfAny();
        return List.copyOf(out);
    }

    private static Optional<Candidate> candidate(Fields f) {
        String kernel = f.required("kernel", KERNEL);
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        f.fields("cmdline", "cmdline", CMDLINE_KEYS).ifPresent(c -> {
            c.listOf("add", "a list of command-line words", WORD).ifPresent(add::addAll);
            c.listOf("remove", "a list of command-line words", WORD).ifPresent(remove::addAll);
        });
        return kernel == null ? Optional.empty() : Optional.of(new Candidate(kernel, add, remove, null, null, null));
    }
}
