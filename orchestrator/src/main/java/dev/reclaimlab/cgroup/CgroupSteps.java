package dev.reclaimlab.cgroup;

import dev.reclaimlab.plan.CgroupSpec;
import dev.reclaimlab.plan.ChildrenSpec;
import dev.reclaimlab.plan.Limit;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import static dev.reclaimlab.shell.Sh.quote;

/**
 * Steps that build the plan's memory cgroups under the run's own parent cgroup and set their limits. Each made
 * directory's undo kills what still runs in it and removes it, children first.
 */
public final class CgroupSteps {
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
            String control = memoryRoot + "/cgroup.subtree_control";
            steps.add(Step.undoable("cgroup:delegate-memory",
                    "enable the memory controller for child cgroups of " + memoryRoot,
                    "lab_write " + quote(control) + " +memory",
                    // Best effort: the kernel refuses while other cgroups use the controller, and that is fine.
                    "printf '%s\\n' -memory > " + quote(control) + " 2>/dev/null || true"));
        }
        String root = layout.cgroupRoot();
        StringBuilder makeRoot = new StringBuilder("mkdir " + quote(root));
        if (files.needsSubtreeControl()) {
            makeRoot.append(" && lab_write ").append(quote(root + "/cgroup.subtree_control")).append(" +memory");
        }
        steps.add(Step.undoable("cgroup:lab-root", "make the run's parent cgroup " + root, makeRoot.toString(),
                "lab_rmcg " + quote(root)));
        for (CgroupSpec cgroup : cgroups) {
            steps.add(makeCgroup(cgroup, hasChildren(cgroup, cgroups)));
            cgroup.children().ifPresent(children -> steps.add(makeChildren(cgroup, children)));
        }
        return steps;
    }

    private Step makeCgroup(CgroupSpec cgroup, boolean hasChildren) {
        String dir = layout.cgroup(cgroup.path());
        List<String> commands = new ArrayList<>();
        commands.add("mkdir " + quote(dir));
        if (files.needsSubtreeControl() && hasChildren) {
            commands.add("lab_write " + quote(dir + "/cgroup.subtree_control") + " +memory");
        }
        commands.addAll(limits(dir, cgroup.memoryLimit(), cgroup.swappiness(), cgroup.swapMax()));
        return Step.undoable("cgroup:" + cgroup.path(), "make cgroup " + cgroup.path() + describe(cgroup),
                String.join(" && ", commands), "lab_rmcg " + quote(dir));
    }

    private Step makeChildren(CgroupSpec parent, ChildrenSpec children) {
        String parentDir = layout.cgroup(parent.path());
        StringJoiner names = new StringJoiner(" ");
        children.names().forEach(n -> names.add(quote(n)));
        List<String> perChild = new ArrayList<>();
        perChild.add("mkdir \"$lab_cg\"");
        perChild.addAll(limitsIn("\"$lab_cg\"", children.memoryLimit(), children.swappiness(), children.swapMax()));
        String command = "for lab_n in " + names + "; do lab_cg=" + quote(parentDir) + "/$lab_n; "
                + String.join(" && ", perChild) + " || exit 1; done";
        String undo = "for lab_n in " + names + "; do lab_rmcg " + quote(parentDir) + "/$lab_n || exit 1; done";
        return Step.undoable("cgroup:" + parent.path() + "/*",
                "make " + children.count() + " child cgroups " + parent.path() + "/" + children.prefix() + "NN",
                command, undo);
    }

    private List<String> limits(String dir, Optional<Limit> limit, Optional<Integer> swappiness,
                                Optional<Limit> swapMax) {
        return limitsIn(quote(dir), limit, swappiness, swapMax);
    }

    /** {@code dirWord} is already a shell word (quoted path or a quoted variable reference). */
    private List<String> limitsIn(String dirWord, Optional<Limit> limit, Optional<Integer> swappiness,
                                  Optional<Limit> swapMax) {
        List<String> commands = new ArrayList<>();
        limit.ifPresent(l -> commands.add("lab_write " + dirWord + "/" + files.limit() + " "
                + (files == MemoryCgroupFiles.V1 ? l.forCgroupV1() : l.forCgroupV2())));
        swappiness.ifPresent(s -> commands.add("lab_write " + dirWord + "/" + files.swappiness().orElseThrow() + " " + s));
        swapMax.ifPresent(s -> commands.add("lab_write " + dirWord + "/" + files.swapMax().orElseThrow() + " "
                + s.forCgroupV2()));
        return commands;
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
