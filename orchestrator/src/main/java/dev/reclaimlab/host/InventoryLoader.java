package dev.reclaimlab.host;

import dev.reclaimlab.units.Durations;
import dev.reclaimlab.units.Size;
import dev.reclaimlab.yaml.Binder;
import dev.reclaimlab.yaml.ConfigException;
import dev.reclaimlab.yaml.Fields;
import dev.reclaimlab.yaml.Invalid;
import dev.reclaimlab.yaml.Location;
import dev.reclaimlab.yaml.MapNode;
import dev.reclaimlab.yaml.Node;
import dev.reclaimlab.yaml.Problems;
import dev.reclaimlab.yaml.ScalarNode;
import dev.reclaimlab.yaml.Suggest;
import dev.reclaimlab.yaml.Value;
import dev.reclaimlab.yaml.YamlReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads an inventory file: the SSH hosts a plan or the command line may name. {@code local} is built in and may not
 * be defined. Relative paths (identity, known_hosts) are relative to the inventory's folder; {@code ~/} is the
 * user's home. All problems are reported together in one {@link ConfigException}.
 *
 * <pre>
 * hosts:
 *   arm01:
 *     address: 10.0.0.5
 *     user: root
 *     identity: ~/.ssh/id_ed25519
 *     jump: bastion
 *   vm01:                      # an emulated ARM64 host (lab vm up writes such entries itself)
 *     address: 127.0.0.1
 *     port: 40022
 *     workdir: /data/lab
 *     vm: {kernel: 6.1.0-56, cpus: 2, memory: 1G, cmdline: cgroup.memory=nokmem}
 * </pre>
 */
public final class InventoryLoader {
    static final List<String> TOP_KEYS = List.of("hosts");
    static final List<String> HOST_KEYS = List.of("address", "port", "user", "identity", "jump", "known_hosts",
            "accept_new_host_key", "workdir", "vm", "boot");
    static final List<String> VM_KEYS = List.of("kernel", "cpus", "memory", "cmdline", "console");
    static final List<String> BOOT_KEYS = List.of("method", "timeout", "state_dir", "power_cycle", "redfish",
            "select", "reboot", "console");
    static final List<String> REDFISH_KEYS = List.of("url", "system", "user", "password_env", "auth", "pin",
            "insecure");
    private static final Pattern BMC_URL = Pattern.compile("https?://[A-Za-z0-9.:\\[\\]_-]+/?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The same rule as plan host names. */
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:_][A-Za-z0-9.:_-]*");
    static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]*");
    static final Pattern WORKDIR = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    private static final Value<String> ADDRESS_VALUE = Value.matching(ADDRESS,
            "a host name or IP address (letters, digits, '.', ':', '_' and '-', not starting with '-')");
    private static final Value<String> USER_VALUE = Value.matching(USER,
            "a user name (lower case letters, digits, '_' and '-', starting with a letter or '_')");
    private static final Value<String> WORKDIR_VALUE = node -> {
        String dir = Value.matching(WORKDIR, "an absolute directory path made of letters, digits, '.', '_', '-' "
                + "and '/'").read(node);
        for (String segment : dir.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw Invalid.expected("an absolute directory path without '.' or '..' parts");
            }
        }
        return dir;
    };

    private static final Value<Long> MEMORY_VALUE = node -> {
        String text = Value.string("a size like 1G or 512M").read(node);
        long bytes = Size.tryParse(text).map(Size::bytes)
                .orElseThrow(() -> Invalid.expected("a size like 1G or 512M"));
        if (bytes < VmSettings.MIN_MEMORY || bytes > VmSettings.MAX_MEMORY || bytes % (1024 * 1024) != 0) {
            throw Invalid.expected("a whole number of MiB from 256M to 64G");
        }
        return bytes;
    };
    private static final Value<String> CMDLINE_VALUE = Value.string("kernel command line words").check(
            c -> c.length() <= VmSettings.MAX_CMDLINE && c.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f),
            c -> "expected one line of at most " + VmSettings.MAX_CMDLINE + " characters");

    private final Path file;
    private final Path folder;
    private final Binder b;

    private InventoryLoader(Path file, Problems problems) {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
        this.b = new Binder(problems);
    }

    /** Loads and validates {@code file}. */
    public static Inventory load(Path file) throws ConfigException {
        Problems problems = new Problems();
        Optional<Node> root = YamlReader.read(file, problems);
        if (root.isEmpty()) {
            problems.throwIfAny();
        }
        return new InventoryLoader(file, problems).bind(root.orElseThrow());
    }

    /** As {@link #load}, for YAML text attributed to {@code file} (whose folder anchors relative paths). */
    public static Inventory parse(String yaml, Path file) throws ConfigException {
        Problems problems = new Problems();
        Optional<Node> root = YamlReader.parse(yaml, file, problems);
        if (root.isEmpty()) {
            problems.throwIfAny();
        }
        return new InventoryLoader(file, problems).bind(root.orElseThrow());
    }

    /** A host as read, with the node of its jump, to check jumps once all hosts are known. */
    private record Read(HostSpec spec, Optional<Node> jumpNode) {}

    private Inventory bind(Node root) throws ConfigException {
        Problems problems = b.problems();
        if (!(root instanceof MapNode)) {
            Location start = new Location(file, 1, 1);
            problems.add(start, root instanceof ScalarNode s && s.isNull()
                    ? "the inventory is empty; expected a map with a hosts key"
                    : "expected an inventory: a map with a hosts key; got " + root.describe());
            problems.throwIfAny();
        }
        Fields top = b.fields(root, "inventory", "inventory", TOP_KEYS).orElseThrow();
        Map<String, Read> hosts = new LinkedHashMap<>();
        top.requiredNode("hosts")
                .flatMap(n -> b.map(n, "hosts", "a map of host names to host settings"))
                .ifPresent(map -> {
                    for (MapNode.Entry e : map.entries()) {
                        host(e).ifPresent(h -> hosts.put(h.spec.name(), h));
                    }
                });
        checkJumps(hosts);
        problems.throwIfAny();
        Map<String, HostSpec> specs = new LinkedHashMap<>();
        hosts.forEach((name, h) -> specs.put(name, h.spec));
        return new Inventory(specs);
    }

    private Optional<Read> host(MapNode.Entry e) {
        String name = e.key();
        boolean nameOk = true;
        if (name.equals(HostSpec.LOCAL_NAME)) {
            b.problem(e.keyAt(), "hosts: 'local' is built in (this machine, without SSH) and cannot be defined");
            nameOk = false;
        } else if (!HOST_NAME.matcher(name).matches()) {
            b.problem(e.keyAt(), "hosts: invalid host name '" + name + "' (expected letters, digits, '.', '_' and "
                    + "'-', not starting with '.' or '-')");
            nameOk = false;
        }
        Optional<Fields> fields = b.fields(e.value(), name, "host", HOST_KEYS);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Fields f = fields.get();
        String address = f.required("address", ADDRESS_VALUE);
        int port = f.optional("port", Value.integer(1, 65535), 22);
        String user = f.optional("user", USER_VALUE, "root");
        List<Path> identities = f.get("identity").map(this::identities).orElse(List.of());
        Optional<String> jump = f.optional("jump", Value.string("the name of another host in this inventory"));
        Optional<Path> knownHosts = f.optional("known_hosts", path("a path to a known_hosts file"));
        boolean acceptNew = f.optional("accept_new_host_key", Value.bool(), false);
        String workdir = f.optional("workdir", WORKDIR_VALUE, HostSpec.DEFAULT_WORKDIR);
        Optional<VmSettings> vm = f.fields("vm", "vm settings", VM_KEYS).map(this::vm);
        Optional<HostBootSettings> boot = f.fields("boot", "boot settings", BOOT_KEYS).map(this::boot);
        if (vm.isPresent() && boot.isPresent()) {
            b.problem(f.get("boot").orElseThrow().at(), name + ": a lab vm host is booted by lab vm itself; "
                    + "boot: is for hosts reached over SSH");
        }
        if (!nameOk) {
            return Optional.empty();
        }
        // A host with a bad address is kept (and the load fails anyway) so that jumps to it are still checked.
        SshAccess access = new SshAccess(address == null ? "" : address, port, user, identities, jump, knownHosts,
                acceptNew);
        HostKind kind = vm.<HostKind>map(settings -> new HostKind.Vm(access, settings)).orElse(new HostKind.Ssh(access, boot));
        HostSpec spec = new HostSpec(name, kind, workdir, Optional.of(e.keyAt()));
        return Optional.of(new Read(spec, jump.isPresent() ? f.get("jump") : Optional.empty()));
    }

    /** The {@code vm:} section; bad values are reported and replaced by defaults so the rest is still checked. */
    private VmSettings vm(Fields f) {
        Optional<String> kernel = f.optional("kernel", Value.matching(VmSettings.KERNEL,
                "a Debian arm64 kernel ABI such as 6.1.0-56, or a series such as 6.1"));
        int cpus = f.optional("cpus", Value.integer(1, VmSettings.MAX_CPUS), VmSettings.DEFAULT_CPUS);
        long memory = f.optional("memory", MEMORY_VALUE, VmSettings.DEFAULT_MEMORY);
        String cmdline = f.optional("cmdline", CMDLINE_VALUE, "");
        Optional<Path> console = f.optional("console", path("a path to the VM's console log"));
        return new VmSettings(kernel, cpus, memory, cmdline, console);
    }

    /** The {@code boot:} section; bad values are reported and replaced by defaults so the rest is still checked. */
    private HostBootSettings boot(Fields f) {
        String method = f.optional("method", Value.string("a boot method: " + String.join(", ",
                HostBootSettings.METHODS)).check(HostBootSettings.METHODS::contains,
                m -> "expected a boot method lab has: " + String.join(", ", HostBootSettings.METHODS) + "; got " + m),
                "grub");
        Duration timeout = f.optional("timeout", node -> {
            String text = Value.string(Durations.EXPECTED).read(node);
            Duration d = Durations.tryParse(text).orElseThrow(() -> Invalid.expected(Durations.EXPECTED));
            if (d.compareTo(Duration.ofSeconds(10)) < 0) {
                throw Invalid.expected("a boot timeout of at least 10s");
            }
            return d;
        }, HostBootSettings.DEFAULT_TIMEOUT);
        String stateDir = f.optional("state_dir", WORKDIR_VALUE, HostBootSettings.DEFAULT_STATE_DIR);
        List<String> powerCycle = f.listOf("power_cycle", "a command as a list of words, e.g. [ipmitool, -I, "
                + "lanplus, -H, bmc1, -U, admin, -E, chassis, power, cycle]", Value.nonBlank("a word of the command"))
                .orElse(List.of());
        Optional<RedfishSettings> redfish = f.fields("redfish", "redfish settings", REDFISH_KEYS).map(this::redfish);
        if (!powerCycle.isEmpty() && redfish.isPresent()) {
            b.problem(f.get("redfish").orElseThrow().at(), "boot: give one power control, power_cycle or redfish, "
                    + "not both");
        }
        // a file that something else logs the console to, or a command that prints it (ipmitool sol activate)
        Optional<Path> console = Optional.empty();
        List<String> consoleCommand = List.of();
        if (f.get("console").orElse(null) instanceof dev.reclaimlab.yaml.ListNode) {
            consoleCommand = f.listOf("console", "a command that prints the host's serial console, as a list of words",
                    Value.nonBlank("a word of the command")).orElse(List.of());
        } else {
            console = f.optional("console", path("a path to the host's console log on this machine, or a command "
                    + "that prints the console as a list of words"));
        }
        // the command method: the lab's own hooks, run on this machine
        List<String> select = f.listOf("select", "a command that selects the host's next boot, as a list of words "
                + "(lab gives it LAB_BOOT, LAB_KERNEL, LAB_CMDLINE_ADD, LAB_CMDLINE_REMOVE in its environment)",
                Value.nonBlank("a word of the command")).orElse(List.of());
        List<String> reboot = f.listOf("reboot", "a command that reboots the host, as a list of words",
                Value.nonBlank("a word of the command")).orElse(List.of());
        if (method.equals("command") && select.isEmpty()) {
            b.problem(f.get("method").orElseThrow().at(), "boot: the command method needs select: the command that "
                    + "selects the host's next boot, as a list of words");
        }
        for (String hook : List.of("select", "reboot")) {
            if (!method.equals("command") && f.get(hook).isPresent()) {
                b.problem(f.get(hook).orElseThrow().at(), "boot: " + hook + " is for the command method (method: "
                        + "command); the " + method + " method does not run it");
            }
        }
        return new HostBootSettings(method, timeout, stateDir, powerCycle, redfish, console, consoleCommand, select,
                reboot);
    }

    private RedfishSettings redfish(Fields f) {
        String url = f.required("url", Value.matching(BMC_URL, "the BMC's URL, https://host[:port]"));
        Optional<String> system = f.optional("system", Value.matching(Pattern.compile("/[A-Za-z0-9/_.-]+"),
                "a Redfish system path such as /redfish/v1/Systems/1"));
        String user = f.required("user", Value.nonBlank("the BMC user name"));
        String passwordEnv = f.required("password_env", Value.matching(ENV_NAME, "the name of an environment "
                + "variable that holds the BMC password (the password itself never goes into an inventory)"));
        String auth = f.optional("auth", Value.string("basic or session").check(
                a -> a.equals("basic") || a.equals("session"), a -> "expected basic or session; got " + a), "basic");
        Optional<String> pin = f.optional("pin", Value.nonBlank("the SHA-256 fingerprint of the BMC's certificate")
                .check(p -> p.strip().replaceFirst("(?i)^sha-?256\\s*(fingerprint)?\\s*[:=]\\s*", "")
                        .replaceAll("[:\\s]", "").matches("[0-9A-Fa-f]{64}"),
                        p -> "expected a SHA-256 fingerprint (64 hex digits, as openssl x509 -fingerprint -sha256 "
                                + "prints it); got " + p));
        boolean insecure = f.optional("insecure", Value.bool(), false);
        if (pin.isPresent() && insecure) {
            b.problem(f.get("insecure").orElseThrow().at(), "redfish: a pinned certificate and insecure: true "
                    + "contradict each other; give one");
        }
        return new RedfishSettings(url == null ? "" : url, system, user == null ? "" : user,
                passwordEnv == null ? "" : passwordEnv, auth.equals("session"), pin, insecure);
    }

    private List<Path> identities(Node node) {
        Value<Path> path = path("a path to a private key file, or a list of them");
        if (node instanceof dev.reclaimlab.yaml.ListNode) {
            List<Path> out = new ArrayList<>();
            b.list(node, "identity", "a path to a private key file, or a list of them")
                    .ifPresent(items -> items.forEach(i -> b.read(i, "identity", path).ifPresent(out::add)));
            return List.copyOf(out);
        }
        return b.read(node, "identity", path).map(List::of).orElse(List.of());
    }

    /** A local path: {@code ~/} is the home folder, relative paths are relative to the inventory's folder. */
    private Value<Path> path(String expectation) {
        return node -> {
            String text = Value.nonBlank(expectation).read(node);
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw Invalid.expected("a path without line breaks");
            }
            if (text.startsWith("~") && !text.equals("~") && !text.startsWith("~/")) {
                throw Invalid.expected("a path; only ~/ (your home folder) is expanded, not ~user");
            }
            try {
                Path p;
                if (text.equals("~") || text.startsWith("~/")) {
                    p = Path.of(System.getProperty("user.home")).resolve(text.length() > 2 ? text.substring(2) : "");
                } else {
                    p = folder.resolve(text);
                }
                return p.normalize();
            } catch (InvalidPathException e) {
                throw Invalid.expected(expectation);
            }
        };
    }

    private void checkJumps(Map<String, Read> hosts) {
        for (Read h : hosts.values()) {
            if (h.jumpNode.isEmpty()) {
                continue;
            }
            String jump = jumpOf(h.spec).orElseThrow();
            Node at = h.jumpNode.get();
            if (jump.equals(HostSpec.LOCAL_NAME)) {
                b.problem(at, "jump: 'local' cannot be a jump host");
            } else if (!hosts.containsKey(jump)) {
                b.problem(at, "jump: no host '" + jump + "' in this inventory"
                        + Suggest.closest(jump, hosts.keySet()).map(s -> "; did you mean " + s + "?").orElse(""));
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (Read h : hosts.values()) {
            List<String> chain = new ArrayList<>();
            String current = h.spec.name();
            while (current != null && !chain.contains(current)) {
                chain.add(current);
                Read next = hosts.get(current);
                current = next == null ? null : jumpOf(next.spec).filter(hosts::containsKey).orElse(null);
            }
            if (current == null || !current.equals(h.spec.name()) || reported.contains(current)) {
                continue; // no cycle, or a cycle this host only leads into, or already told
            }
            reported.addAll(chain);
            chain.add(current);
            b.problem(h.jumpNode.orElseThrow(), "jump: hosts jump to each other in a circle: "
                    + String.join(" -> ", chain));
        }
    }

    private static Optional<String> jumpOf(HostSpec spec) {
        return spec.kind().ssh().flatMap(SshAccess::jump);
    }
}
