package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Binder;
import dev.reclaimlab.yaml.Node;
import dev.reclaimlab.yaml.Suggest;
import dev.reclaimlab.yaml.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the cgroup paths other sections refer to (a workload's {@code cgroup}, {@code kmod.stress.cgroup})
 * against the plan's {@code cgroups}, so that a dangling reference is worded the same wherever it is written.
 */
final class CgroupRefs {
    /** How a reference is read before it is looked up. */
    static final Value<String> PATH = Value.string("the path of a cgroup declared in cgroups");

    private final Binder b;
    private final List<CgroupSpec> cgroups;
    /** Cgroups with a children key, even one too broken to bind: their children are not complained about. */
    private final Set<String> withChildrenKey;

    CgroupRefs(Binder binder, List<CgroupSpec> cgroups, Set<String> withChildrenKey) {
        this.b = binder;
        this.cgroups = cgroups;
        this.withChildrenKey = withChildrenKey;
    }

    /** The cgroup declared with {@code path}; anything else is reported at {@code node}. */
    Optional<CgroupSpec> declared(Node node, String path) {
        Optional<CgroupSpec> cgroup = cgroups.stream().filter(c -> c.path().equals(path)).findFirst();
        if (cgroup.isEmpty()) {
            List<String> paths = cgroups.stream().map(CgroupSpec::path).toList();
            b.problem(node, "cgroup: no cgroup '" + path + "' is declared in cgroups"
                    + Suggest.closest(path, paths).map(s -> "; did you mean " + s + "?")
                    .orElse(paths.isEmpty() ? " (there are none)" : " (declared: " + String.join(", ", paths) + ")"));
        }
        return cgroup;
    }

    /**
     * {@code path} if it is a declared cgroup or one of the fan-out children lab creates under one (kernel code
     * can target a single pod of a kubepods fan-out); anything else is reported at {@code node}.
     */
    Optional<String> declaredOrChild(Node node, String path) {
        List<String> paths = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (CgroupSpec c : cgroups) {
            paths.add(c.path());
            paths.addAll(c.childPaths());
            shown.add(c.path());
            c.children().map(ChildrenSpec::names).filter(n -> !n.isEmpty()).ifPresent(n ->
                    shown.add(c.path() + "/" + n.get(0) + (n.size() > 1 ? ".." + n.get(n.size() - 1) : "")));
        }
        if (paths.contains(path)) {
            return Optional.of(path);
        }
        int slash = path.lastIndexOf('/');
        String parent = slash > 0 ? path.substring(0, slash) : null;
        boolean brokenFanOut = withChildrenKey.contains(parent)
                && cgroups.stream().anyMatch(c -> c.path().equals(parent) && c.children().isEmpty());
        if (!brokenFanOut) { // else the children key is reported, and this may well be one of its children
            b.problem(node, "cgroup: no cgroup '" + path + "' is declared in cgroups or made by a fan-out"
                    + Suggest.closest(path, paths).map(s -> "; did you mean " + s + "?")
                    .orElse(shown.isEmpty() ? " (there are none)" : " (declared: " + String.join(", ", shown) + ")"));
        }
        return Optional.empty();
    }
}
