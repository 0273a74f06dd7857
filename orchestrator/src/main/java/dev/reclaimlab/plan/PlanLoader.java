package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Binder;
import dev.reclaimlab.yaml.ConfigException;
import dev.reclaimlab.yaml.Fields;
import dev.reclaimlab.yaml.Invalid;
import dev.reclaimlab.yaml.ListNode;
import dev.reclaimlab.yaml.Location;
import dev.reclaimlab.yaml.MapNode;
import dev.reclaimlab.yaml.Node;
import dev.reclaimlab.yaml.Problem;
import dev.reclaimlab.yaml.Problems;
import dev.reclaimlab.yaml.ScalarNode;
import dev.reclaimlab.yaml.Suggest;
import dev.reclaimlab.yaml.Value;
import dev.reclaimlab.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads a plan file: reads the YAML, expands the variant matrix, substitutes {@code ${param}} references and binds
 * and validates the plan of every variant. All problems in the file, in any variant, are reported together in one
 * {@link ConfigException}.
 *
 * <p>Parameters: a scalar that is exactly {@code ${p}} takes p's value with its YAML type (so
 * {@code swappiness: ${swappiness}} binds as an integer); inside longer text it is interpolated. {@code $${} is a
 * literal {@code ${}. {@code name}, {@code hosts}, {@code variants} and {@code params} are never substituted.
 */
public final class PlanLoader {
    /** More variants than this is surely a mistake in the matrix. */
    public static final int MAX_VARIANTS = 1000;
    /** Repeats of each variant at most: more is a mistake, or a job for several runs. */
    public static final int MAX_REPEAT = 1000;
    /** Iterations (variants times repeats) at most: each is set up, run and torn down on every host. */
    public static final int MAX_ITERATIONS = 10_000;

    private static final Set<String> NOT_SUBSTITUTED = Set.of("name", "hosts", "variants", "params");

    private PlanLoader() {}

    /** Loads and validates {@code file}; every problem is in the exception, with its location in the file. */
    public static PlanFile load(Path file) throws ConfigException {
        return load(file, List.of());
    }

    /**
     * As {@link #load(Path)}, with parameters set or variants chosen on the command line; their problems are reported
     * with the file's, located at the argument.
     */
    public static PlanFile load(Path file, List<ParamOverride> overrides) throws ConfigException {
        Problems problems = new Problems();
        Optional<Node> root = YamlReader.read(file, problems);
        if (root.isEmpty()) {
            problems.throwIfAny();
        }
        return bind(file, root.orElseThrow(), problems, overrides);
    }

    /** As {@link #load}, for YAML text that locations attribute to {@code file}. */
    public static PlanFile parse(String yaml, Path file) throws ConfigException {
        Problems problems = new Problems();
        Optional<Node> root = YamlReader.parse(yaml, file, problems);
        if (root.isEmpty()) {
            problems.throwIfAny();
        }
        return bind(file, root.orElseThrow(), problems, List.of());
    }

    private static PlanFile bind(Path file, Node root, Problems problems, List<ParamOverride> overrides)
            throws ConfigException {
        Binder binder = new Binder(problems);
        if (!(root instanceof MapNode top)) {
            Location start = new Location(file, 1, 1);
            if (root instanceof ScalarNode s && s.isNull()) {
                problems.add(start, "the plan is empty; expected a map with at least name and workloads");
            } else {
                problems.add(start, "expected a plan: a map with keys " + String.join(", ", PlanBinder.PLAN_KEYS)
                        + "; got " + root.describe());
            }
            problems.throwIfAny();
            throw new AssertionError();
        }
        Parameters parameters = new Parameters(binder);
        parameters.read(top);
        parameters.override(overrides, problems);
        Templates templates = new Templates(binder, parameters);
        templates.scan(top);
        parameters.reportUnused(templates.used);
        List<Variant> variants = parameters.variants();

        List<Plan> resolved = new ArrayList<>();
        Map<Problem, List<Variant>> found = new LinkedHashMap<>();
        Set<Problem> explained = new HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant variant = variants.get(i);
            Substitution substitution = templates.substitute(top, parameters.valuesOf(i));
            Problems variantProblems = new Problems(p -> substitution.adjust(p, explained));
            resolved.add(new PlanBinder(new Binder(variantProblems)).plan(substitution.root));
            for (Problem p : variantProblems.list()) {
                found.computeIfAbsent(p, k -> new ArrayList<>()).add(variant);
            }
        }
        found.forEach((p, in) -> {
            if (explained.contains(p) || in.size() == variants.size()) {
                problems.add(p);
            } else {
                problems.add(p.at(), p.message() + " (" + variantsLabel(in) + ")");
            }
        });
        if ((long) variants.size() * parameters.repeat > MAX_ITERATIONS) {
            problems.add(parameters.repeatAt != null ? parameters.repeatAt : parameters.matrixAt,
                    "variants: " + variants.size() + " variants x " + parameters.repeat + " repeats make more than "
                            + MAX_ITERATIONS + " iterations; use fewer values or repeats");
        }
        problems.throwIfAny();
        return new PlanFile(file, resolved.get(0).name(), List.copyOf(variants), parameters.repeat,
                List.copyOf(resolved));
    }

    private static String variantsLabel(List<Variant> variants) {
        if (variants.size() == 1) {
            return "variant " + variants.get(0).label();
        }
        String shown = variants.stream().limit(3).map(Variant::label).collect(Collectors.joining("; "));
        return "variants " + shown + (variants.size() > 3 ? "; and " + (variants.size() - 3) + " more" : "");
    }

    /** The parameters: the variant matrix, defaults from {@code params}, and repeat. */
    private static final class Parameters {
        private final Binder b;
        /** Parameters with usable values, in declaration order. */
        final LinkedHashMap<String, List<ScalarNode>> matrix = new LinkedHashMap<>();
        final LinkedHashMap<String, ScalarNode> defaults = new LinkedHashMap<>();
        /** Every parameter name given, usable or not (a reference to a broken one is not dangling). */
        final LinkedHashMap<String, Location> declared = new LinkedHashMap<>();
        int repeat = 1;
        private Location matrixAt;
        private Location repeatAt;
        private List<Variant> variants;
        private List<Map<String, ScalarNode>> values;

        Parameters(Binder binder) {
            this.b = binder;
        }

        private static final Value<ScalarNode> PARAM_VALUE = node -> {
            if (node instanceof ScalarNode s && !s.isNull()) {
                if (s.text().indexOf('\0') >= 0) {
                    throw Invalid.because("must not contain a NUL character");
                }
                return s;
            }
            throw Invalid.expected("a value (text, a number or true/false)");
        };

        void read(MapNode top) {
            top.get("variants").flatMap(n -> b.fields(n, "variants", "variants", List.of("matrix", "repeat")))
                    .ifPresent(this::readVariants);
            top.get("params").flatMap(n -> b.map(n, "params", "a map of parameter names to default values"))
                    .ifPresent(this::readParams);
        }

        private void readVariants(Fields f) {
            repeat = f.optional("repeat", Value.integer(1, MAX_REPEAT), 1);
            repeatAt = f.get("repeat").map(Node::at).orElse(null);
            f.get("matrix").flatMap(n -> b.map(n, "matrix", "a map of parameter names to lists of values"))
                    .ifPresent(map -> {
                        matrixAt = map.at();
                        if (map.isEmpty()) {
                            b.problem(map, "matrix: expected at least one parameter, got an empty map");
                        }
                        for (MapNode.Entry e : map.entries()) {
                            if (!name(e)) {
                                continue;
                            }
                            b.list(e.value(), e.key(), "a list of values").ifPresent(items -> {
                                List<ScalarNode> values = new ArrayList<>();
                                Map<String, Location> seen = new HashMap<>();
                                for (Node item : items) {
                                    b.read(item, e.key(), PARAM_VALUE).ifPresent(v -> {
                                        Location first = seen.putIfAbsent(v.text(), v.at());
                                        if (first != null) {
                                            b.problem(v, e.key() + ": value " + v.describe()
                                                    + " is listed twice (first at line " + first.line() + ")");
                                        } else {
                                            values.add(v);
                                        }
                                    });
                                }
                                if (values.size() == items.size()) {
                                    matrix.put(e.key(), values);
                                }
                            });
                        }
                    });
        }

        private void readParams(MapNode map) {
            for (MapNode.Entry e : map.entries()) {
                if (matrix.containsKey(e.key()) || declared.containsKey(e.key())) {
                    b.problem(e.keyAt(), "params: parameter '" + e.key() + "' is also in variants.matrix, so this "
                            + "default would never be used; remove one of them");
                    continue;
                }
                if (!name(e)) {
                    continue;
                }
                b.read(e.value(), e.key(), PARAM_VALUE).ifPresent(v -> defaults.put(e.key(), v));
            }
        }

        /** Applies the command line's {@link ParamOverride}s, in order; see there. */
        void override(List<ParamOverride> overrides, Problems problems) {
            Set<String> given = new HashSet<>();
            for (ParamOverride o : overrides) {
                String name = o.name();
                if (name.isEmpty()) {
                    problems.add(o.at(1), "expected NAME=VALUE[,VALUE...]");
                    continue;
                }
                if (!given.add(o.option() + " " + name)) {
                    problems.add(o.at(1), "parameter '" + name + "' is given twice with " + o.option());
                    continue;
                }
                if (!declared.containsKey(name)) {
                    String known = String.join(", ", declared.keySet());
                    problems.add(o.at(1), "the plan has no parameter '" + name + "'"
                            + Suggest.closest(name, declared.keySet()).map(c -> "; did you mean " + c + "?").orElse("")
                            + (known.isEmpty() ? " (it has none)" : " (it has: " + known + ")"));
                    continue;
                }
                if (!usable(name)) {
                    continue; // its own declaration in the plan is broken, and says so
                }
                List<ScalarNode> values = values(o, problems);
                if (values.isEmpty()) {
                    continue;
                }
                if (o.select()) {
                    select(o, values, problems);
                } else if (matrix.containsKey(name) || values.size() > 1) {
                    defaults.remove(name);
                    if (matrix.isEmpty()) {
                        matrixAt = o.at(1);
                    }
                    matrix.put(name, values); // a matrix parameter keeps its place; a new one varies fastest
                } else {
                    defaults.put(name, values.get(0));
                }
            }
        }

        /** --variant: the matrix parameter keeps only the values named, which must be its own. */
        private void select(ParamOverride o, List<ScalarNode> wanted, Problems problems) {
            List<ScalarNode> own = matrix.get(o.name());
            if (own == null) {
                problems.add(o.at(1), "'" + o.name() + "' is not a matrix parameter, so it has no variants to choose"
                        + " from; set it with -p " + o.name() + "=VALUE");
                return;
            }
            List<ScalarNode> kept = new ArrayList<>();
            for (ScalarNode w : wanted) {
                Optional<ScalarNode> match = own.stream().filter(v -> v.text().equals(w.text())).findFirst();
                if (match.isEmpty()) {
                    problems.add(w.at(), o.name() + " has no variant " + w.describe() + " (its values: "
                            + own.stream().map(ScalarNode::text).collect(Collectors.joining(", ")) + ")");
                } else {
                    kept.add(match.get());
                }
            }
            if (kept.size() == wanted.size()) {
                matrix.put(o.name(), own.stream().filter(kept::contains).toList());
            }
        }

        /** The values of an override, read as a YAML flow list so quoting works as in the plan. */
        private List<ScalarNode> values(ParamOverride o, Problems problems) {
            Path where = o.at(1).file();
            Problems local = new Problems();
            Optional<Node> list = YamlReader.parse("[" + o.valuesText() + "]", where, local);
            List<ScalarNode> values = new ArrayList<>();
            int shift = o.valuesColumn() - 2; // the '[' we added, and where the values start in the argument
            if (list.isPresent() && list.get() instanceof ListNode items && !items.items().isEmpty()) {
                Set<String> seen = new HashSet<>();
                for (Node item : items.items()) {
                    Location at = new Location(where, 1, item.at().column() + shift);
                    if (!(item instanceof ScalarNode s) || s.isNull() || s.text().indexOf('\0') >= 0) {
                        problems.add(at, "expected a value (text, a number or true/false)");
                    } else if (!seen.add(s.text())) {
                        problems.add(at, o.name() + ": value " + s.describe() + " is given twice");
                    } else {
                        values.add(s.movedTo(at));
                    }
                }
                return values.size() == items.items().size() ? values : List.of();
            }
            problems.add(o.at(o.valuesColumn()), "expected one or more values after '" + o.name()
                    + "=', separated by commas (quote a value that holds one)");
            return List.of();
        }

        /** Checks a parameter's name and declares it. */
        private boolean name(MapNode.Entry e) {
            if (!PlanValues.PARAM_NAME.matcher(e.key()).matches()) {
                b.problem(e.keyAt(), "invalid parameter name '" + e.key() + "' (expected lower case letters, "
                        + "digits and '_', starting with a letter)");
                return false;
            }
            declared.put(e.key(), e.keyAt());
            return true;
        }

        boolean usable(String name) {
            return matrix.containsKey(name) || defaults.containsKey(name);
        }

        boolean isMatrix(String name) {
            return matrix.containsKey(name);
        }

        void reportUnused(Set<String> used) {
            declared.forEach((name, at) -> {
                if (!used.contains(name)) {
                    b.problem(at, "parameter '" + name + "' is never used; refer to it as ${" + name
                            + "} in the plan, or remove it");
                }
            });
        }

        /** The cartesian product of the matrix, first parameter varying slowest; one empty variant without. */
        List<Variant> variants() {
            if (variants != null) {
                return variants;
            }
            List<Map<String, ScalarNode>> points = new ArrayList<>();
            points.add(new LinkedHashMap<>());
            long count = 1;
            for (List<ScalarNode> v : matrix.values()) {
                count *= v.size();
                if (count > MAX_VARIANTS) {
                    break;
                }
            }
            if (count > MAX_VARIANTS) {
                b.problem(matrixAt, "matrix: makes more than " + MAX_VARIANTS + " variants; use fewer values");
                Map<String, ScalarNode> first = points.get(0);
                matrix.forEach((name, v) -> first.put(name, v.get(0)));
            } else {
                for (Map.Entry<String, List<ScalarNode>> param : matrix.entrySet()) {
                    List<Map<String, ScalarNode>> next = new ArrayList<>();
                    for (Map<String, ScalarNode> point : points) {
                        for (ScalarNode value : param.getValue()) {
                            Map<String, ScalarNode> p = new LinkedHashMap<>(point);
                            p.put(param.getKey(), value);
                            next.add(p);
                        }
                    }
                    points = next;
                }
            }
            values = new ArrayList<>();
            variants = new ArrayList<>();
            Map<String, Variant> slugs = new HashMap<>();
            for (Map<String, ScalarNode> point : points) {
                Map<String, String> text = new LinkedHashMap<>();
                point.forEach((k, v) -> text.put(k, v.text()));
                Variant variant = text.isEmpty() ? Variant.none() : new Variant(text);
                Variant clash = slugs.putIfAbsent(variant.slug(), variant);
                if (clash != null) {
                    b.problem(matrixAt, "matrix: variants '" + clash.label() + "' and '" + variant.label()
                            + "' would share the directory name '" + variant.slug()
                            + "'; make the values differ in letters, digits, '.', '_' or '-'");
                }
                Map<String, ScalarNode> all = new LinkedHashMap<>(defaults);
                all.putAll(point);
                values.add(all);
                variants.add(variant);
            }
            return variants;
        }

        Map<String, ScalarNode> valuesOf(int variant) {
            variants();
            return values.get(variant);
        }
    }

    /** Finds the scalars that mention parameters, checks the references, and substitutes them per variant. */
    private static final class Templates {
        private final Binder b;
        private final Parameters parameters;
        private final Map<ScalarNode, Template> templates = new IdentityHashMap<>();
        /** Scalars whose references are broken: left as written, and no further complaint about them. */
        private final Set<ScalarNode> broken = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<String> used = new HashSet<>();

        Templates(Binder binder, Parameters parameters) {
            this.b = binder;
            this.parameters = parameters;
        }

        void scan(MapNode top) {
            for (MapNode.Entry e : top.entries()) {
                if (!NOT_SUBSTITUTED.contains(e.key())) {
                    scanNode(e.value());
                }
            }
        }

        private void scanNode(Node node) {
            if (node instanceof MapNode m) {
                m.entries().forEach(e -> scanNode(e.value()));
            } else if (node instanceof ListNode l) {
                l.items().forEach(this::scanNode);
            } else if (node instanceof ScalarNode s && s.isString() && Template.mentions(s.text())) {
                scanScalar(s);
            }
        }

        private void scanScalar(ScalarNode s) {
            Template t;
            try {
                t = Template.parse(s.text());
            } catch (Template.Malformed e) {
                b.problem(s, e.getMessage());
                broken.add(s);
                return;
            }
            templates.put(s, t);
            for (String ref : t.refs()) {
                used.add(ref);
                if (!parameters.declared.containsKey(ref)) {
                    b.problem(s, "${" + ref + "}: no parameter '" + ref + "' in variants.matrix or params"
                            + Suggest.closest(ref, parameters.declared.keySet()).map(n -> "; did you mean " + n + "?")
                            .orElse(""));
                    broken.add(s);
                } else if (!parameters.usable(ref)) {
                    broken.add(s);
                }
            }
        }

        Substitution substitute(MapNode top, Map<String, ScalarNode> values) {
            Substitution sub = new Substitution();
            List<MapNode.Entry> entries = new ArrayList<>();
            for (MapNode.Entry e : top.entries()) {
                Node value = NOT_SUBSTITUTED.contains(e.key()) ? e.value() : copy(e.value(), values, sub);
                entries.add(new MapNode.Entry(e.key(), e.keyAt(), value));
            }
            sub.root = new MapNode(entries, top.at());
            return sub;
        }

        private Node copy(Node node, Map<String, ScalarNode> values, Substitution sub) {
            if (node instanceof MapNode m) {
                List<MapNode.Entry> entries = new ArrayList<>();
                for (MapNode.Entry e : m.entries()) {
                    entries.add(new MapNode.Entry(e.key(), e.keyAt(), copy(e.value(), values, sub)));
                }
                return new MapNode(entries, m.at());
            }
            if (node instanceof ListNode l) {
                return new ListNode(l.items().stream().map(i -> copy(i, values, sub)).toList(), l.at());
            }
            ScalarNode s = (ScalarNode) node;
            if (broken.contains(s)) {
                sub.silenced.add(s.at());
                return s;
            }
            Template t = templates.get(s);
            if (t == null) {
                return s;
            }
            List<String> refs = t.refs();
            if (!refs.isEmpty()) {
                sub.notes.put(s.at(), note(refs, values));
            }
            if (t.isExactRef()) {
                return values.get(refs.get(0)).movedTo(s.at());
            }
            Map<String, String> text = new HashMap<>();
            refs.forEach(r -> text.put(r, values.get(r).text()));
            return ScalarNode.string(t.interpolate(text), s.at());
        }

        /** {@code variant swappiness=abc}, {@code parameter pods=40}, or both. */
        private String note(List<String> refs, Map<String, ScalarNode> values) {
            List<String> fromMatrix = new ArrayList<>();
            List<String> fromDefaults = new ArrayList<>();
            for (String r : refs) {
                (parameters.isMatrix(r) ? fromMatrix : fromDefaults).add(r + "=" + values.get(r).text());
            }
            List<String> parts = new ArrayList<>();
            if (!fromMatrix.isEmpty()) {
                parts.add("variant " + String.join(", ", fromMatrix));
            }
            if (!fromDefaults.isEmpty()) {
                parts.add((fromDefaults.size() == 1 ? "parameter " : "parameters ") + String.join(", ", fromDefaults));
            }
            refs.stream().map(r -> values.get(r).at().file().toString()).filter(f -> f.startsWith("-")).distinct()
                    .forEach(option -> parts.add("from " + option)); // set on the command line, not in the file
            return String.join("; ", parts);
        }
    }

    /** One variant's tree, and how to word problems found in it. */
    private static final class Substitution {
        MapNode root;
        /** Places where a value was substituted, and which. */
        final Map<Location, String> notes = new HashMap<>();
        /** Places whose references are broken and already reported. */
        final Set<Location> silenced = new LinkedHashSet<>();

        Problem adjust(Problem p, Set<Problem> explained) {
            if (silenced.contains(p.at())) {
                return null;
            }
            String note = notes.get(p.at());
            if (note == null) {
                return p;
            }
            Problem q = new Problem(p.at(), p.message() + " (" + note + ")");
            explained.add(q);
            return q;
        }
    }
}
