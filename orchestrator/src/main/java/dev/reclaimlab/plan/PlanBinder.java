package dev.reclaimlab.plan;

import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.KernelCmdline;
import dev.reclaimlab.units.Size;
import dev.reclaimlab.yaml.Binder;
import dev.reclaimlab.yaml.Fields;
import dev.reclaimlab.yaml.Invalid;
import dev.reclaimlab.yaml.Location;
import dev.reclaimlab.yaml.MapNode;
import dev.reclaimlab.yaml.Node;
import dev.reclaimlab.yaml.ScalarNode;
import dev.reclaimlab.yaml.Suggest;
import dev.reclaimlab.yaml.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.reclaimlab.plan.PlanValues.*;

/**
 * Binds the tree of one plan, with parameters already substituted, into a {@link Plan}; reports every problem to
 * the binder. When problems were reported the returned plan may be incomplete and must not be used.
 */
final class PlanBinder {
    static final List<String> PLAN_KEYS = List.of("name", "description", "hosts", "share_hosts", "watchdog",
            "drop_caches", "boot", "swap", "sysctl", "cgroups", "tracing", "monitors", "profile", "workloads", "kmod",
            "verdict", "variants", "params");
    static final List<String> BOOT_KEYS = List.of("kernel", "cmdline");
    static final List<String> CMDLINE_KEYS = List.of("add", "remove");
    static final List<String> SWAP_KEYS = List.of("size", "path", "priority");
    static final List<String> CGROUP_KEYS = List.of("path", "memory_limit", "swappiness", "swap_max", "children");
    static final List<String> CHILDREN_KEYS = List.of("count", "prefix", "memory_limit", "swappiness", "swap_max");
    static final List<String> TRACING_KEYS = List.of("events", "capture", "buffer_per_cpu");
    static final List<String> MONITOR_KEYS = List.of("interval", "sources");
    static final List<String> PROFILE_KEYS = List.of("frequency", "tool", "cpus", "kernel_stacks", "user_stacks");
    static final List<String> WORKLOAD_KEYS = List.of("name", "cgroup", "copies", "timeout", "dd", "command", "shell");
    static final List<String> COMMAND_KEYS = List.of("dd", "command", "shell");
    static final List<String> VERDICT_KEYS = List.of("storm", "regression", "noise", "max_lost", "went_down");
    static final List<String> THRESHOLD_KEYS = List.of("metric", "above", "below");
    static final List<String> CHANGE_KEYS = List.of("metric", "increase", "decrease");
    static final List<String> DD_OPERANDS = List.of("if", "of", "bs", "ibs", "obs", "count", "skip", "seek", "conv",
            "oflag", "iflag", "status");

    static final Size MIN_SWAP = new Size(1L << 20);
    static final Size MIN_TRACE_BUFFER = new Size(4L << 10);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final int MAX_CHILDREN = 10_000;
    /**
     * dd's output file: a path relative to the workload's own folder (removed afterwards) that stays in it, or
     * /dev/null.
     */
    static final Value<String> DD_OUTPUT = Value.scalarText("a value (text or a number)").check(
            of -> of.equals("/dev/null") || !of.startsWith("/") && !java.util.Arrays.asList(of.split("/")).contains(".."),
            of -> "must stay in the workload's own folder: a relative path without '..' parts (it is removed "
                    + "afterwards), or /dev/null; got \"" + of + "\"");
    /** Child cgroups of all the plan's cgroups together at most: each is made and removed in every iteration. */
    static final int MAX_ALL_CHILDREN = 10_000;
    /** The host undoes a run by itself when the orchestrator has said nothing for this long. */
    static final Duration DEFAULT_WATCHDOG = Duration.ofMinutes(2);
    /** Heartbeats go every few seconds; a shorter time would tear down runs whose orchestrator is only slow. */
    static final Duration MIN_WATCHDOG = Duration.ofSeconds(5);

    private final Binder b;
    /** Cgroups that have a children key, even one too broken to bind: no per-child complaint about those. */
    private final Set<String> withChildrenKey = new java.util.HashSet<>();

    PlanBinder(Binder binder) {
        this.b = binder;
    }

    Plan plan(MapNode top) {
        Fields f = b.fields(top, "plan", "plan", PLAN_KEYS).orElseThrow();
        String name = f.required("name", PLAN_NAME_VALUE);
        String description = f.optional("description", Value.text(), "");
        List<String> hosts = hosts(f);
        boolean shareHosts = f.optional("share_hosts", Value.bool(), false);
        Duration watchdog = f.optional("watchdog", durationAtLeast(MIN_WATCHDOG), DEFAULT_WATCHDOG);
        boolean dropCaches = f.optional("drop_caches", Value.bool(), true);
        Optional<BootSpec> boot = f.fields("boot", "boot", BOOT_KEYS).flatMap(this::boot);
        Optional<SwapSpec> swap = f.fields("swap", "swap", SWAP_KEYS).flatMap(this::swap);
        List<Sysctl> sysctls = f.get("sysctl").map(this::sysctls).orElse(List.of());
        List<CgroupSpec> cgroups = f.list("cgroups", "a list of cgroups").map(this::cgroups).orElse(List.of());
        Optional<TracingSpec> tracing = f.fields("tracing", "tracing", TRACING_KEYS).flatMap(this::tracing);
        Optional<MonitorSpec> monitors = f.fields("monitors", "monitors", MONITOR_KEYS).map(this::monitors);
        Optional<ProfileSpec> profile = f.fields("profile", "profile", PROFILE_KEYS).map(this::profile);
        CgroupRefs cgroupRefs = new CgroupRefs(b, cgroups, withChildrenKey);
        List<WorkloadSpec> workloads = f.requiredNode("workloads")
                .flatMap(n -> b.list(n, "workloads", "a list of workloads"))
                .map(items -> workloads(items, cgroupRefs))
                .orElse(List.of());
        KmodSpec kmod = f.fields("kmod", "kmod", KmodBinder.KMOD_KEYS)
                .map(k -> new KmodBinder(b, cgroupRefs).kmod(k))
                .orElse(new KmodSpec(Optional.empty(), Optional.empty()));
        VerdictSpec verdict = f.fields("verdict", "verdict", VERDICT_KEYS).map(this::verdict).orElse(VerdictSpec.none());
        return new Plan(name, description, hosts, boot, swap, sysctls, cgroups, tracing, monitors, profile, workloads,
                kmod, dropCaches, verdict, watchdog, shareHosts);
    }

    /**
     * {@code profile:}: the sampling rate and what samples (perf where the host has it, unless told); every CPU,
     * kernel stacks. The keys that say so are accepted with those
     * values only, so a plan that asks for more (some CPUs, user stacks) is told rather than silently not given it.
     */
    private ProfileSpec profile(Fields f) {
        int frequency = f.optional("frequency", Value.integer(1, ProfileSpec.MAX_FREQUENCY),
                ProfileSpec.DEFAULT_FREQUENCY);
        f.optional("cpus", Value.scalarText("all").check(v -> v.equals("all"),
                v -> "lab samples every CPU: 'all' is the only value, got \"" + v + "\""));
        f.optional("kernel_stacks", Value.bool().check(v -> v, v -> "kernel stacks are what lab samples: must be true"));
        f.optional("user_stacks", Value.bool().check(v -> !v,
                v -> "lab's sampler does not walk user stacks (user time is counted as [user]): must be false"));
        ProfileSpec.Tool tool = f.optional("tool", Value.lowerCaseEnum(ProfileSpec.Tool.class), ProfileSpec.Tool.AUTO);
        return new ProfileSpec(frequency, tool);
    }

    private VerdictSpec verdict(Fields f) {
        double noise = f.optional("noise", PERCENT, VerdictSpec.DEFAULT_NOISE_PERCENT);
        double maxLost = f.optional("max_lost", PERCENT, VerdictSpec.DEFAULT_MAX_LOST_PERCENT);
        VerdictSpec.WentDown wentDown = f.optional("went_down", Value.lowerCaseEnum(VerdictSpec.WentDown.class),
                VerdictSpec.WentDown.REGRESSION);
        List<VerdictSpec.Threshold> storm = new ArrayList<>();
        f.list("storm", "a list of conditions like {metric: memcg_reclaim.count, above: 500}").ifPresent(items -> {
            for (Node item : items) {
                b.fields(item, "storm", "storm condition", THRESHOLD_KEYS).ifPresent(c -> {
                    String metric = c.required("metric", METRIC_PATH_VALUE);
                    c.exactlyOne("storm condition", List.of("above", "below")).ifPresent(which -> {
                        Double value = c.required(which, NUMBER);
                        if (metric != null && value != null) {
                            storm.add(new VerdictSpec.Threshold(metric, which.equals("above"), value, c.at()));
                        }
                    });
                });
            }
        });
        List<VerdictSpec.ChangeLimit> regression = new ArrayList<>();
        f.list("regression", "a list of limits like {metric: memcg_reclaim.latency_us.p99, increase: 20%}")
                .ifPresent(items -> {
                    for (Node item : items) {
                        b.fields(item, "regression", "regression limit", CHANGE_KEYS).ifPresent(c -> {
                            String metric = c.required("metric", METRIC_PATH_VALUE);
                            c.exactlyOne("regression limit", List.of("increase", "decrease")).ifPresent(which -> {
                                Double percent = c.required(which, PERCENT);
                                if (metric != null && percent != null) {
                                    regression.add(new VerdictSpec.ChangeLimit(metric, which.equals("increase"),
                                            percent, c.at()));
                                }
                            });
                        });
                    }
                });
        return new VerdictSpec(List.copyOf(storm), List.copyOf(regression), noise, maxLost, wentDown);
    }

    private List<String> hosts(Fields f) {
        List<String> hosts = new ArrayList<>();
        f.list("hosts", "a list of host names").ifPresent(items -> {
            Map<String, Location> seen = new HashMap<>();
            for (Node item : items) {
                b.read(item, "hosts", HOST_NAME_VALUE).ifPresent(host -> {
                    Location first = seen.putIfAbsent(host, item.at());
                    if (first != null) {
                        b.problem(item, "hosts: '" + host + "' is listed twice (first at line " + first.line() + ")");
                    } else {
                        hosts.add(host);
                    }
                });
            }
        });
        return List.copyOf(hosts);
    }

    /** The boot section; empty when it asks for nothing (no kernel, no words), which is the host's default. */
    private Optional<BootSpec> boot(Fields f) {
        Optional<String> kernel = f.optional("kernel", KERNEL_VALUE);
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        f.fields("cmdline", "cmdline", CMDLINE_KEYS).ifPresent(c -> {
            add.addAll(cmdlineWords(c, "add"));
            remove.addAll(cmdlineWords(c, "remove"));
            for (KernelCmdline.Conflict conflict : KernelCmdline.conflicts(add, remove)) {
                b.problem(c.at(), "cmdline: " + conflict.word() + " is both added and removed (by '"
                        + conflict.pattern() + "')");
            }
        });
        BootTarget target = new BootTarget(kernel, add, remove);
        return target.isHostDefault() ? Optional.empty() : Optional.of(new BootSpec(target, f.at()));
    }

    private List<String> cmdlineWords(Fields f, String key) {
        List<String> words = new ArrayList<>();
        f.list(key, "a list of command-line words").ifPresent(items -> {
            for (Node item : items) {
                b.read(item, key, CMDLINE_WORD_VALUE).filter(w -> !w.isEmpty()).ifPresent(w -> {
                    if (words.contains(w)) {
                        b.problem(item, key + ": '" + w + "' is listed twice");
                    } else {
                        words.add(w);
                    }
                });
            }
        });
        return List.copyOf(words);
    }

    private Optional<SwapSpec> swap(Fields f) {
        Size size = f.required("size", node -> {
            Size s = SIZE.read(node);
            if (s.bytes() < MIN_SWAP.bytes()) {
                throw Invalid.because("a swap file must be at least " + MIN_SWAP + ", got " + s
                        + (node instanceof ScalarNode n && n.integer() != null
                        ? " (a bare number counts bytes: write 512M, 1G, ...)" : ""));
            }
            return s;
        });
        Optional<String> path = f.optional("path", ABSOLUTE_FILE);
        Optional<Integer> priority = f.optional("priority", Value.integer(-1, 32767));
        return size == null ? Optional.empty() : Optional.of(new SwapSpec(size, path, priority, f.at()));
    }

    private static final Value<String> SYSCTL_VALUE = node -> {
        if (node instanceof ScalarNode s && (s.isString() || s.integer() != null)) {
            if (s.text().indexOf('\0') >= 0) {
                throw Invalid.because("must not contain a NUL character");
            }
            return s.text();
        }
        throw Invalid.expected("a number or text (quote words such as on/off or yes/no)");
    };

    private List<Sysctl> sysctls(Node node) {
        List<Sysctl> out = new ArrayList<>();
        b.map(node, "sysctl", "a map of sysctl names to values, like vm.swappiness: 100").ifPresent(map -> {
            for (MapNode.Entry e : map.entries()) {
                if (!SYSCTL_KEY.matcher(e.key()).matches()) {
                    b.problem(e.keyAt(), "sysctl: invalid name '" + e.key() + "' (expected a dotted name like "
                            + "vm.swappiness: lower case letters, digits, '_' and '-' between dots)");
                    continue;
                }
                b.read(e.value(), e.key(), SYSCTL_VALUE)
                        .ifPresent(v -> out.add(new Sysctl(e.key(), v, e.value().at())));
            }
        });
        return List.copyOf(out);
    }

    /** A cgroup as read, with the nodes needed to check it against the others. */
    private record Declared(CgroupSpec spec, Node pathNode, Optional<Location> childrenAt) {}

    private List<CgroupSpec> cgroups(List<Node> items) {
        List<Declared> declared = new ArrayList<>();
        for (Node item : items) {
            b.fields(item, "cgroups", "cgroup", CGROUP_KEYS).flatMap(this::cgroup).ifPresent(declared::add);
        }
        Map<String, Declared> byPath = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            Declared d = declared.get(i);
            Declared first = byPath.putIfAbsent(d.spec.path(), d);
            index.putIfAbsent(d.spec.path(), i);
            if (first != null) {
                b.problem(d.pathNode, "path: duplicate cgroup path '" + d.spec.path() + "' (first declared at line "
                        + first.pathNode.at().line() + ")");
            }
        }
        long allChildren = 0;
        for (Declared d : declared) {
            allChildren += d.spec.children().map(ChildrenSpec::count).orElse(0);
            if (allChildren > MAX_ALL_CHILDREN) {
                b.problem(d.childrenAt.orElse(d.pathNode.at()), "children: the plan's cgroups would have more than "
                        + MAX_ALL_CHILDREN + " child cgroups in all; use fewer");
                return List.of(); // naming them all would only fill memory
            }
        }
        Map<String, Declared> childOwners = new HashMap<>();
        for (Declared d : byPath.values()) {
            for (String child : d.spec.childPaths()) {
                childOwners.put(child, d);
            }
        }
        List<CgroupSpec> out = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            Declared d = declared.get(i);
            String path = d.spec.path();
            if (index.get(path) != i) {
                continue; // a duplicate, reported above
            }
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                String parent = path.substring(0, slash);
                Integer parentIndex = index.get(parent);
                if (parentIndex == null) {
                    b.problem(d.pathNode, "path: parent cgroup '" + parent + "' of '" + path
                            + "' is not declared; declare it earlier in cgroups");
                } else if (parentIndex > i) {
                    b.problem(d.pathNode, "path: parent cgroup '" + parent + "' must be declared before '" + path
                            + "' (it is declared at line " + byPath.get(parent).pathNode.at().line() + ")");
                }
            }
            Declared owner = childOwners.get(path);
            if (owner != null) {
                b.problem(d.pathNode, "path: '" + path + "' is also a fan-out child of cgroup '"
                        + owner.spec.path() + "' (children at line "
                        + owner.childrenAt.map(Location::line).orElse(owner.pathNode.at().line()) + ")");
            }
            out.add(d.spec);
        }
        return List.copyOf(out);
    }

    private Optional<Declared> cgroup(Fields f) {
        Optional<Node> pathNode = f.requiredNode("path");
        String path = pathNode.flatMap(n -> b.read(n, "path", CGROUP_PATH)).orElse(null);
        Optional<Limit> memoryLimit = f.optional("memory_limit", LIMIT);
        Optional<Integer> swappiness = f.optional("swappiness", Value.integer(0, 200));
        Optional<Limit> swapMax = f.optional("swap_max", LIMIT);
        Optional<ChildrenSpec> children = f.fields("children", "children", CHILDREN_KEYS).flatMap(this::children);
        if (path == null) {
            return Optional.empty();
        }
        if (f.has("children")) {
            withChildrenKey.add(path);
        }
        CgroupSpec spec = new CgroupSpec(path, memoryLimit, swappiness, swapMax, children, f.at());
        return Optional.of(new Declared(spec, pathNode.get(), f.get("children").map(Node::at)));
    }

    private Optional<ChildrenSpec> children(Fields f) {
        Integer count = f.required("count", Value.integer(1, MAX_CHILDREN));
        String prefix = f.optional("prefix", CHILD_PREFIX_VALUE, "pod");
        Optional<Limit> memoryLimit = f.optional("memory_limit", LIMIT);
        Optional<Integer> swappiness = f.optional("swappiness", Value.integer(0, 200));
        Optional<Limit> swapMax = f.optional("swap_max", LIMIT);
        return count == null ? Optional.empty()
                : Optional.of(new ChildrenSpec(count, prefix, memoryLimit, swappiness, swapMax));
    }

    private Optional<TracingSpec> tracing(Fields f) {
        List<TraceEvent> events = new ArrayList<>();
        Optional<List<Node>> items = f.requiredNode("events")
                .flatMap(n -> b.list(n, "events", "a list of \"system:event\" strings"));
        Set<String> seen = new LinkedHashSet<>();
        items.ifPresent(list -> {
            for (Node item : list) {
                b.read(item, "events", TRACE_EVENT_VALUE).ifPresent(text -> {
                    if (!seen.add(text)) {
                        b.problem(item, "events: '" + text + "' is listed twice");
                        return;
                    }
                    int colon = text.indexOf(':');
                    events.add(new TraceEvent(text.substring(0, colon), text.substring(colon + 1), item.at()));
                });
            }
        });
        TracingSpec.Capture capture = f.optional("capture", Value.lowerCaseEnum(TracingSpec.Capture.class),
                TracingSpec.Capture.BINARY);
        Optional<Size> buffer = f.optional("buffer_per_cpu", sizeAtLeast(MIN_TRACE_BUFFER));
        return items.isEmpty() ? Optional.empty()
                : Optional.of(new TracingSpec(List.copyOf(events), capture, buffer));
    }

    private MonitorSpec monitors(Fields f) {
        Duration interval = f.optional("interval", durationAtLeast(MIN_INTERVAL), DEFAULT_INTERVAL);
        Set<MonitorSource> sources = new LinkedHashSet<>();
        f.list("sources", "a list of monitor sources (loadavg, cpu, psi, vmstat, memcg)").ifPresentOrElse(items -> {
            for (Node item : items) {
                b.read(item, "sources", Value.lowerCaseEnum(MonitorSource.class)).ifPresent(source -> {
                    if (!sources.add(source)) {
                        b.problem(item, "sources: '" + source.yamlName() + "' is listed twice");
                    }
                });
            }
        }, () -> sources.addAll(EnumSet.allOf(MonitorSource.class)));
        return new MonitorSpec(interval, Collections.unmodifiableSet(sources));
    }

    private List<WorkloadSpec> workloads(List<Node> items, CgroupRefs cgroups) {
        List<WorkloadSpec> out = new ArrayList<>();
        Map<String, Location> names = new HashMap<>();
        for (Node item : items) {
            b.fields(item, "workloads", "workload", WORKLOAD_KEYS).ifPresent(f -> {
                Optional<Node> nameNode = f.requiredNode("name");
                String name = nameNode.flatMap(n -> b.read(n, "name", WORKLOAD_NAME_VALUE)).orElse(null);
                if (name != null) {
                    Location first = names.putIfAbsent(name, nameNode.get().at());
                    if (first != null) {
                        b.problem(nameNode.get(), "name: duplicate workload name '" + name + "' (first used at line "
                                + first.line() + ")");
                    }
                }
                workload(f, name, cgroups).ifPresent(out::add);
            });
        }
        return List.copyOf(out);
    }

    private Optional<WorkloadSpec> workload(Fields f, String name, CgroupRefs cgroups) {
        Optional<CgroupSpec> cgroup = Optional.empty();
        boolean cgroupOk = true;
        Optional<Node> cgroupNode = f.get("cgroup");
        Optional<String> cgroupPath = f.optional("cgroup", CgroupRefs.PATH);
        if (cgroupNode.isPresent()) {
            cgroupOk = cgroupPath.isPresent();
            if (cgroupPath.isPresent()) {
                cgroup = cgroups.declared(cgroupNode.get(), cgroupPath.get());
                cgroupOk = cgroup.isPresent();
            }
        }
        Copies copies = f.optional("copies", COPIES, new Copies.Count(1));
        if (copies instanceof Copies.PerChild && cgroupOk) {
            Location at = f.get("copies").orElseThrow().at();
            if (cgroup.isEmpty()) {
                b.problem(at, "copies: per-child needs the workload's cgroup to have children, "
                        + "but this workload has no cgroup");
            } else if (!withChildrenKey.contains(cgroup.get().path())) {
                b.problem(at, "copies: per-child needs the workload's cgroup to have children, but cgroup '"
                        + cgroup.get().path() + "' has none");
            }
        }
        // the host's timeout(1) counts whole seconds; 500ms would become "timeout 0", which never times out
        Duration timeout = f.optional("timeout", DURATION.check(d -> !d.isZero() && d.toMillis() % 1000 == 0,
                d -> "must be a whole number of seconds, at least 1s, got " + d.toMillis() + "ms"), DEFAULT_TIMEOUT);
        Optional<WorkloadCommand> command = f.exactlyOne("workload" + (name == null ? "" : " '" + name + "'"),
                COMMAND_KEYS).flatMap(key -> command(key, f.get(key).orElseThrow()));
        if (name == null || command.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WorkloadSpec(name, command.get(), cgroupPath, copies, timeout, f.at()));
    }

    private Optional<WorkloadCommand> command(String kind, Node node) {
        switch (kind) {
            case "dd": {
                Optional<MapNode> map = b.map(node, "dd", "a map of dd operands, like {if: /dev/zero, of: a.img}");
                if (map.isEmpty()) {
                    return Optional.empty();
                }
                if (map.get().isEmpty()) {
                    b.problem(node, "dd: expected at least one operand (" + String.join(", ", DD_OPERANDS)
                            + "), got an empty map");
                    return Optional.empty();
                }
                Map<String, String> operands = new LinkedHashMap<>();
                boolean ok = true;
                for (MapNode.Entry e : map.get().entries()) {
                    if (!DD_OPERANDS.contains(e.key())) {
                        b.problem(e.keyAt(), "unknown dd operand '" + e.key() + "' (expected one of: "
                                + String.join(", ", DD_OPERANDS) + ")"
                                + Suggest.closest(e.key(), DD_OPERANDS).map(s -> "; did you mean " + s + "?")
                                .orElse(""));
                        ok = false;
                        continue;
                    }
                    Optional<String> value = b.read(e.value(), e.key(), e.key().equals("of") ? DD_OUTPUT
                            : Value.scalarText("a value (text or a number)"));
                    value.ifPresent(v -> operands.put(e.key(), v));
                    ok &= value.isPresent();
                }
                return ok ? Optional.of(new WorkloadCommand.Dd(Collections.unmodifiableMap(operands)))
                        : Optional.empty();
            }
            case "command": {
                Optional<List<Node>> items = b.list(node, "command",
                        "a list with the program and its arguments, like [stress-ng, --vm, \"1\"]");
                if (items.isEmpty()) {
                    return Optional.empty();
                }
                List<String> argv = new ArrayList<>();
                for (Node item : items.get()) {
                    b.read(item, "command", Value.scalarText("an argument (text or a number)")).ifPresent(argv::add);
                }
                if (argv.size() != items.get().size()) {
                    return Optional.empty();
                }
                if (argv.get(0).isBlank()) {
                    b.problem(items.get().get(0), "command: the program (first item) must not be empty");
                    return Optional.empty();
                }
                return Optional.of(new WorkloadCommand.Argv(List.copyOf(argv)));
            }
            default:
                return b.read(node, "shell", Value.nonBlank("a shell script (text)"))
                        .map(WorkloadCommand.Shell::new);
        }
    }
}
