package dev.reclaimlab.plan;

import static dev.reclaimlab.plan.PlanValues.*;

import dev.reclaimlab.plan.PatchSpec.PlannedInstruction;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the plan's {@code kmod:} section (one variant's, parameters substituted) into a {@link KmodSpec}, reporting
 * every problem to the binder. A patch is either one point written directly under {@code patch:}, or named
 * {@code points} of which {@code apply} picks one per variant, so one plan compares patch points side by side.
 */
final class KmodBinder {
    static final List<String> KMOD_KEYS = List.of("stress", "patch");
    static final List<String> STRESS_KEYS = List.of("cgroup", "cpus", "loops", "nodes", "nr_pages", "gfp", "duration");
    static final List<String> POINT_KEYS = List.of("symbol", "offset", "expect", "replace");
    static final List<String> PATCH_KEYS = List.of("symbol", "offset", "expect", "replace", "points", "apply");

    /** {@code apply: none}: this variant runs without a patch (the baseline of a comparison). */
    static final String NO_PATCH = "none";
    /** The point name of a patch written without {@code points}. */
    static final String SINGLE_POINT = "patch";

    static final long DEFAULT_LOOPS = 50;
    static final int DEFAULT_NODES = 8;
    static final int MAX_NODES = 1_000_000;
    static final int DEFAULT_NR_PAGES = 100;
    /** 4 GiB of 4K pages per call; more is surely a mistake for a reclaim request. */
    static final int MAX_NR_PAGES = 1 << 20;
    static final String DEFAULT_GFP = "GFP_KERNEL";
    /** CPU numbers a kernel with NR_CPUS up to 4096 can have. */
    static final int MAX_CPU = 4095;
    /** One kernel thread per CPU: more than this many reclaiming at once drowns the host, not the memcg. */
    static final int MAX_CPUS = 64;
    /** A patch replaces a few instructions (an early return, a skipped call), not a function body. */
    static final int MAX_INSTRUCTIONS = 16;

    private static final String INSTRUCTIONS = "a list of instructions like [\"mov x0, #0\", ret] "
            + "or hex words like [0xd2800000]";

    /** A point name; a YAML integer counts by its text, so {@code point: [none, 1, 2]} can name points 1 and 2. */
    private static final Value<String> POINT_CHOICE = node -> {
        if (node instanceof ScalarNode s && (s.isString() || s.integer() != null)) {
            return s.text();
        }
        throw Invalid.expected("the name of one of points, or " + NO_PATCH);
    };

    private final Binder b;
    private final CgroupRefs cgroups;

    KmodBinder(Binder binder, CgroupRefs cgroups) {
        this.b = binder;
        this.cgroups = cgroups;
    }

    KmodSpec kmod(Fields f) {
        Optional<StressSpec> stress = f.fields("stress", "stress", STRESS_KEYS).flatMap(this::stress);
        Optional<PatchSpec> patch = f.fields("patch", "patch", PATCH_KEYS).flatMap(this::patch);
        return new KmodSpec(stress, patch);
    }

    private Optional<StressSpec> stress(Fields f) {
        Optional<String> cgroup = f.requiredNode("cgroup")
                .flatMap(n -> b.read(n, "cgroup", CgroupRefs.PATH).flatMap(path -> cgroups.declaredOrChild(n, path)));
        Optional<List<Integer>> cpus = f.requiredNode("cpus").flatMap(this::cpus);
        long loops = f.optional("loops", Value.integer(0, Integer.MAX_VALUE).map(Integer::longValue), DEFAULT_LOOPS);
        int nodes = f.optional("nodes", Value.integer(1, MAX_NODES), DEFAULT_NODES);
        long nrPages = f.optional("nr_pages", Value.integer(1, MAX_NR_PAGES), DEFAULT_NR_PAGES);
        String gfp = f.optional("gfp", GFP_MASK_VALUE, DEFAULT_GFP);
        Optional<Duration> duration = f.optional("duration",
                DURATION.check(d -> !d.isZero(), d -> "must be longer than 0s"));
        if (loops == 0 && duration.isEmpty()) {
            // lab waits for the workers before it stops the trace; with neither limit it would wait forever.
            f.keyAt("loops").ifPresent(at -> b.problem(at, "loops: 0 (no limit) needs a duration, e.g. duration: 30s"));
        }
        if (cgroup.isEmpty() || cpus.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StressSpec(cgroup.get(), cpus.get(), loops, nodes, nrPages, gfp, duration, f.at()));
    }

    private Optional<List<Integer>> cpus(Node node) {
        Optional<List<Node>> items = b.list(node, "cpus", "a list of CPU numbers like [0, 1]");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        boolean ok = true;
        if (items.get().size() > MAX_CPUS) {
            b.problem(node, "cpus: expected at most " + MAX_CPUS + " CPUs, got " + items.get().size());
            ok = false;
        }
        List<Integer> cpus = new ArrayList<>();
        Map<Integer, Location> seen = new HashMap<>();
        for (Node item : items.get()) {
            Optional<Integer> cpu = b.read(item, "cpus", Value.integer(0, MAX_CPU));
            ok &= cpu.isPresent();
            cpu.ifPresent(c -> {
                Location first = seen.putIfAbsent(c, item.at());
                if (first != null) {
                    b.problem(item, "cpus: " + c + " is listed twice (first at line " + first.line() + ")");
                } else {
                    cpus.add(c);
                }
            });
        }
        return ok && cpus.size() == items.get().size() ? Optional.of(List.copyOf(cpus)) : Optional.empty();
    }

    private Optional<PatchSpec> patch(Fields f) {
        if (!f.has("points")) {
            f.keyAt("apply").ifPresent(at -> b.problem(at, "apply: chooses one of points, but this patch has no "
                    + "points; give points, or leave apply out to always patch"));
            Optional<PatchSpec> single = point(f, SINGLE_POINT);
            return f.has("apply") ? Optional.empty() : single;
        }
        for (String key : POINT_KEYS) {
            f.keyAt(key).ifPresent(at -> b.problem(at, "patch: " + key + " cannot be given next to points; give "
                    + String.join(", ", POINT_KEYS) + " inside each point"));
        }
        Map<String, PatchSpec> bound = new LinkedHashMap<>();
        // Every name written, usable or not: apply naming a broken point gets no second complaint.
        Set<String> written = new LinkedHashSet<>();
        boolean pointsRead = b.map(f.get("points").orElseThrow(), "points",
                "a map of patch point names to patches, like {A: {symbol: shrink_slab, offset: 0, ...}}")
                .map(map -> {
                    points(map, written, bound);
                    return true;
                }).orElse(false);
        String apply = f.required("apply", POINT_CHOICE);
        if (apply == null || apply.equals(NO_PATCH)) {
            return Optional.empty();
        }
        if (pointsRead && !written.contains(apply)) {
            b.problem(f.get("apply").orElseThrow(), "apply: no patch point '" + apply + "' in points"
                    + Suggest.closest(apply, written).map(s -> "; did you mean " + s + "?")
                    .orElse(" (expected one of: " + String.join(", ", written) + ", or " + NO_PATCH + ")"));
        }
        return Optional.ofNullable(bound.get(apply));
    }

    private void points(MapNode map, Set<String> written, Map<String, PatchSpec> bound) {
        if (map.isEmpty()) {
            b.problem(map, "points: expected at least one patch point, got an empty map");
        }
        for (MapNode.Entry e : map.entries()) {
            written.add(e.key());
            if (!PATCH_POINT_NAME.matcher(e.key()).matches()) {
                b.problem(e.keyAt(), "points: invalid point name '" + e.key() + "' (expected 1 to 32 letters, "
                        + "digits, '_' and '-'" + (e.key().equals(NO_PATCH) ? "; none is taken: apply: none means "
                        + "no patch" : "") + ")");
                continue;
            }
            b.fields(e.value(), e.key(), "patch point", POINT_KEYS)
                    .flatMap(pf -> point(pf, e.key()))
                    .ifPresent(p -> bound.put(e.key(), p));
        }
    }

    /** One patch point's symbol, offset, expect and replace. */
    private Optional<PatchSpec> point(Fields f, String name) {
        String symbol = f.required("symbol", KERNEL_SYMBOL_VALUE);
        Long offset = f.required("offset", PATCH_OFFSET);
        Optional<List<Node>> expectItems = instructionItems(f, "expect");
        Optional<List<Node>> replaceItems = instructionItems(f, "replace");
        if (expectItems.isPresent() && replaceItems.isPresent()
                && expectItems.get().size() != replaceItems.get().size()) {
            // The module swaps word for word: a shorter replace would leave half an old sequence behind.
            b.problem(f.get("replace").orElseThrow(), "replace: expected as many instructions as expect ("
                    + expectItems.get().size() + "), got " + replaceItems.get().size());
        }
        Optional<List<PlannedInstruction>> expect = expectItems.flatMap(items -> instructions(items, "expect"));
        Optional<List<PlannedInstruction>> replace = replaceItems.flatMap(items -> instructions(items, "replace"));
        if (symbol == null || offset == null || expect.isEmpty() || replace.isEmpty()
                || expect.get().size() != replace.get().size()) {
            return Optional.empty();
        }
        return Optional.of(new PatchSpec(name, symbol, offset, expect.get(), replace.get(), f.at()));
    }

    /** The items of a required list of 1..16 instructions. */
    private Optional<List<Node>> instructionItems(Fields f, String key) {
        Optional<Node> node = f.requiredNode(key);
        Optional<List<Node>> items = node.flatMap(n -> b.list(n, key, INSTRUCTIONS));
        if (items.isPresent() && items.get().size() > MAX_INSTRUCTIONS) {
            b.problem(node.get(), key + ": expected at most " + MAX_INSTRUCTIONS + " instructions, got "
                    + items.get().size());
            return Optional.empty();
        }
        return items;
    }

    /** Every item encoded; an item that does not assemble is reported at itself, with the assembler's words. */
    private Optional<List<PlannedInstruction>> instructions(List<Node> items, String key) {
        List<PlannedInstruction> out = new ArrayList<>();
        for (Node item : items) {
            b.read(item, key, INSTRUCTION).ifPresent(out::add);
        }
        return out.size() == items.size() ? Optional.of(List.copyOf(out)) : Optional.empty();
    }
}
