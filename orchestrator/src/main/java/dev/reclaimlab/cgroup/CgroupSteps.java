package dev.reclaimlab.cgroup;

import dev.reclaimlab.plan.CgroupSpec;
import dev.reclaimlab.plan.ChildrenSpec;
import dev.reclaimlab.plan.Limit;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Steps that build the plan's memory cgroups under the run's own parent cgroup and set their limits. Each made
 * directory's undo kills what still runs in it and removes it, children first (lab_rmcg in lib.sh).
 */
public final class CgroupSteps {
    private static final String SUBTREE_CONTROL = "cgroup.subtree_control";

    private final HostLayout layout;
    private final MemoryCgroupFiles files;
    private final String memoryRoot;
    private final boolean rootDelegatesMemory;

    /**
     * @param rootDelegatesMemory v2 only: the memory root already lists {@code memory} in cgroup.subtree_control
     */
    public CgroupSteps(HostLayout layout, MemoryCgroupFiles files, String memoryRoot, boolean rootDelegatesMemory) {
        this.layout = layout;
        this.files = files;
        this.memoryRoot = memoryRoot;
        this.rootDelegatesMemory = rootDelegatesMemory;
    }

    public List<Step> build(List<CgroupSpec> cgroups) {
        List<Step> steps = new ArrayList<>();
        if (files.needsSubtreeControl() && !rootDelegatesMemory) {
            steps.add(Step.undoable("cgroup:delegate-memory",
                    "enable the memory controller for child cgroups of " + memoryRoot,
                    Sh.command("lab_delegate_memory", memoryRoot), Sh.command("lab_undelegate_memory", memoryRoot)));
        }
        String root = layout.cgroupRoot();
        List<String> makeRoot = new ArrayList<>(List.of("lab_mkcg", root));
        if (files.needsSubtreeControl()) {
            makeRoot.addAll(List.of(SUBTREE_CONTROL, "+memory"));
        }
        steps.add(Step.undoable("cgroup:lab-root", "make the run's parent cgroup " + root, Sh.command(makeRoot),
                Sh.command("lab_rmcg", root)));
        for (CgroupSpec cgroup : cgroups) {
            steps.add(makeCgroup(cgroup, hasChildren(cgroup, cgroups)));
            cgroup.children().ifPresent(children -> steps.add(makeChildren(cgroup, children)));
        }
        return steps;
    }

    private Step makeCgroup(CgroupSpec cgroup, boolean hasChildren) {
        String dir = layout.cgroup(cgroup.path());
        List<String> command = new ArrayList<>(List.of("lab_mkcg", dir));
        if (files.needsSubtreeControl() && hasChildren) {
            command.addAll(List.of(SUBTREE_CONTROL, "+memory"));
        }
        command.addAll(limits(cgroup.memoryLimit(), cgroup.swappiness(), cgroup.swapMax()));
        return Step.undoable("cgroup:" + cgroup.path(), "make cgroup " + cgroup.path() + describe(cgroup),
                Sh.command(command), Sh.command("lab_rmcg", dir));
    }

    private Step makeChildren(CgroupSpec parent, ChildrenSpec children) {
        String parentDir = layout.cgroup(parent.path());
        String names = String.join(" ", children.names());
        List<String> command = new ArrayList<>(List.of("lab_mkcgs", parentDir, names));
        command.addAll(limits(children.memoryLimit(), children.swappiness(), children.swapMax()));
        return Step.undoable("cgroup:" + parent.path() + "/*",
                "make " + children.count() + " child cgroups " + parent.path() + "/" + children.prefix() + "NN",
                Sh.command(command), Sh.command("lab_rmcgs", parentDir, names));
    }

    /** The control files and values that set a cgroup's limits, as lab_mkcg's FILE VALUE pairs. */
    private List<String> limits(Optional<Limit> limit, Optional<Integer> swappiness, Optional<Limit> swapMax) {
        List<String> pairs = new ArrayList<>();
        limit.ifPresent(l -> pairs.addAll(List.of(files.limit(),
                files == MemoryCgroupFiles.V1 ? l.forCgroupV1() : l.forCgroupV2())));
        swappiness.ifPresent(s -> pairs.addAll(List.of(files.swappiness().orElseThrow(), Integer.toString(s))));
        swapMax.ifPresent(s -> pairs.addAll(List.of(files.swapMax().orElseThrow(), s.forCgroupV2())));
        return pairs;
    }

    private static boolean hasChildren(CgroupSpec cgroup, List<CgroupSpec> all) {
        return cgroup.children().isPresent()
                || all.stream().anyMatch(other -> other.path().startsWith(cgroup.path() + "/"));
    }

    private static String describe(CgroupSpec cgroup) {
        StringJoiner parts = new StringJoiner(", ", " (", ")").setEmptyValue("");
        cgroup.memoryLimit().ifPresent(l -> parts.add("limit " + l));
        cgroup.swappiness().ifPresent(s -> parts.add("swappiness " + s));
        cgroup.swapMax().ifPresent(s -> parts.add("swap.max " + s));
        return parts.toString();
    }
}
