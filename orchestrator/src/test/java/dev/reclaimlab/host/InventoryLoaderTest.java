package dev.reclaimlab.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.reclaimlab.yaml.ConfigException;
import dev.reclaimlab.yaml.Location;
import dev.reclaimlab.yaml.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class InventoryLoaderTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonSchema SCHEMA;

    static {
        try (InputStream in = InventoryLoaderTest.class.getResourceAsStream("/schema/inventory.schema.json")) {
            SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("inventory.yaml"), yaml);
    }

    private List<String> problems(String yaml) throws IOException {
        Path file = write(yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> InventoryLoader.load(file));
        return e.problems().stream()
                .map(p -> new Problem(new Location(p.at().file().getFileName(), p.at().line(), p.at().column()),
                        p.message()).render())
                .toList();
    }

    @Test
    void loadsHostsWithDefaultsAndPaths() throws Exception {
        Path file = write("""
                # yaml-language-server: $schema=../orchestrator/src/main/resources/schema/inventory.schema.json
                hosts:
                  arm01:
                    address: 10.0.0.5
                    port: 2222
                    user: lab
                    identity: ~/.ssh/id_ed25519
                    jump: bastion
                    known_hosts: keys/known_hosts
                    accept_new_host_key: true
                    workdir: /data/lab
                  bastion:
                    address: bastion.example.com
                    identity: [keys/a, ../b, /etc/lab/c]
                  v6: {address: "fe80::1"}
                """);
        Inventory inventory = InventoryLoader.load(file);
        assertEquals(List.of("local", "arm01", "bastion", "v6"), List.copyOf(inventory.hosts().keySet()));
        assertInstanceOf(HostKind.Local.class, inventory.host("local").orElseThrow().kind());
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(new HostSpec("arm01", new HostKind.Ssh(new SshAccess("10.0.0.5", 2222, "lab",
                        List.of(home.resolve(".ssh/id_ed25519")), Optional.of("bastion"),
                        Optional.of(dir.resolve("keys/known_hosts")), true)), "/data/lab",
                Optional.of(new Location(file, 3, 3))), inventory.host("arm01").orElseThrow());
        HostSpec bastion = inventory.host("bastion").orElseThrow();
        SshAccess access = bastion.kind().ssh().orElseThrow();
        assertEquals(22, access.port());
        assertEquals("root", access.user());
        assertEquals(List.of(dir.resolve("keys/a"), dir.getParent().resolve("b"), Path.of("/etc/lab/c")),
                access.identityFiles());
        assertEquals(Optional.empty(), access.jump());
        assertEquals(Optional.empty(), access.knownHosts());
        assertFalse(access.acceptNewHostKey());
        assertEquals(HostSpec.DEFAULT_WORKDIR, bastion.workdir());
        assertEquals("fe80::1", inventory.host("v6").orElseThrow().kind().ssh().orElseThrow().address());
    }

    @Test
    void emptyHostsGiveOnlyLocal() throws Exception {
        assertEquals(List.of("local"), List.copyOf(InventoryLoader.load(write("hosts: {}\n")).hosts().keySet()));
    }

    @Test
    void reportsEveryProblemWithItsPlace() throws Exception {
        assertEquals(List.of(
                "inventory.yaml:2:3: hosts: 'local' is built in (this machine, without SSH) and cannot be defined",
                "inventory.yaml:4:3: hosts: invalid host name '-x' (expected letters, digits, '.', '_' and '-', "
                        + "not starting with '.' or '-')",
                "inventory.yaml:7:5: missing required key 'address' in host",
                "inventory.yaml:7:5: unknown key 'adress' in host (expected one of: address, port, user, identity, "
                        + "jump, known_hosts, accept_new_host_key, workdir, vm, boot); did you mean address?",
                "inventory.yaml:9:14: address: expected a host name or IP address (letters, digits, '.', ':', '_' "
                        + "and '-', not starting with '-'), got \"-oProxyCommand=sh\"",
                "inventory.yaml:10:11: port: expected an integer 1..65535, got 70000",
                "inventory.yaml:11:11: user: expected a user name (lower case letters, digits, '_' and '-', starting "
                        + "with a letter or '_'), got \"root;id\"",
                "inventory.yaml:12:14: workdir: expected an absolute directory path made of letters, digits, '.', "
                        + "'_', '-' and '/', got \"var/tmp/lab\"",
                "inventory.yaml:13:15: identity: expected a path; only ~/ (your home folder) is expanded, not ~user, "
                        + "got \"~root/.ssh/id\"",
                "inventory.yaml:14:26: accept_new_host_key: expected true or false, got \"sometimes\"",
                "inventory.yaml:15:11: jump: no host 'bastoin' in this inventory; did you mean bastion?",
                "inventory.yaml:18:14: workdir: expected an absolute directory path without '.' or '..' parts, "
                        + "got \"/var/../etc\""),
                problems("""
                        hosts:
                          local:
                            address: 127.0.0.1
                          -x:
                            address: a
                          a:
                            adress: 10.0.0.1
                          b:
                            address: -oProxyCommand=sh
                            port: 70000
                            user: root;id
                            workdir: var/tmp/lab
                            identity: ~root/.ssh/id
                            accept_new_host_key: sometimes
                            jump: bastoin
                          bastion:
                            address: bastion
                            workdir: /var/../etc
                        """));
    }

    @Test
    void jumpCyclesAndLocal() throws Exception {
        assertEquals(List.of(
                "inventory.yaml:2:25: jump: hosts jump to each other in a circle: a -> b -> a",
                "inventory.yaml:4:28: jump: hosts jump to each other in a circle: self -> self",
                "inventory.yaml:5:25: jump: 'local' cannot be a jump host"),
                problems("""
                        hosts:
                          a: {address: a, jump: b}
                          b: {address: b, jump: a}
                          self: {address: s, jump: self}
                          c: {address: c, jump: local}
                          d: {address: d, jump: a}
                        """));
    }

    @Test
    void aHostsBootSectionSaysHowLabBootsItAndBringsItBack() throws Exception {
        Path file = write("""
                hosts:
                  srv1:
                    address: 10.0.0.7
                    boot:
                      timeout: 7m
                      power_cycle: [ipmitool, -I, lanplus, -H, bmc7, -E, chassis, power, cycle]
                      console: consoles/srv1.log
                  srv2:
                    address: 10.0.0.8
                    boot: {method: grub, state_dir: /srv/lab-boot, console: [ipmitool, -H, bmc8, -E, sol, activate]}
                  plain: {address: 10.0.0.9}
                """);
        Inventory inventory = InventoryLoader.load(file);
        HostKind.Ssh srv1 = (HostKind.Ssh) inventory.host("srv1").orElseThrow().kind();
        assertEquals(new HostBootSettings("grub", Duration.ofMinutes(7), HostBootSettings.DEFAULT_STATE_DIR,
                List.of("ipmitool", "-I", "lanplus", "-H", "bmc7", "-E", "chassis", "power", "cycle"), Optional.empty(),
                Optional.of(dir.resolve("consoles/srv1.log")), List.of(), List.of(), List.of()), srv1.boot().orElseThrow());
        HostBootSettings srv2 = ((HostKind.Ssh) inventory.host("srv2").orElseThrow().kind()).boot().orElseThrow();
        assertEquals("/srv/lab-boot", srv2.stateDir());
        assertEquals(HostBootSettings.DEFAULT_TIMEOUT, srv2.timeout());
        assertEquals(List.of(), srv2.powerCycle());
        assertEquals(List.of("ipmitool", "-H", "bmc8", "-E", "sol", "activate"), srv2.consoleCommand());
        assertEquals(Optional.empty(), srv2.console());
        assertEquals(Optional.empty(), ((HostKind.Ssh) inventory.host("plain").orElseThrow().kind()).boot());
    }

    @Test
    void aBmcOverRedfishIsAPowerControlWhosePasswordStaysOutOfTheInventory() throws Exception {
        Path file = write("""
                hosts:
                  srv3:
                    address: 10.0.0.10
                    boot:
                      redfish:
                        url: https://bmc3.lab:8443
                        system: /redfish/v1/Systems/1
                        user: admin
                        password_env: BMC3_PASSWORD
                        auth: session
                        pin: "sha256 Fingerprint=AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
                """);
        HostBootSettings boot = ((HostKind.Ssh) InventoryLoader.load(file).host("srv3").orElseThrow().kind()).boot()
                .orElseThrow();
        RedfishSettings bmc = boot.redfish().orElseThrow();
        assertEquals("https://bmc3.lab:8443", bmc.url());
        assertEquals(Optional.of("/redfish/v1/Systems/1"), bmc.system());
        assertEquals("BMC3_PASSWORD", bmc.passwordEnv());
        assertTrue(bmc.session());
        assertFalse(bmc.insecure());
        assertEquals(List.of(), boot.powerCycle());

        assertEquals(List.of(
                "inventory.yaml:5:16: boot: give one power control, power_cycle or redfish, not both",
                "inventory.yaml:5:22: url: expected the BMC's URL, https://host[:port], got \"ftp://bmc\"",
                "inventory.yaml:5:62: password_env: expected the name of an environment variable that holds the BMC "
                        + "password (the password itself never goes into an inventory), got \"hunter2!\"",
                "inventory.yaml:5:79: pin: expected a SHA-256 fingerprint (64 hex digits, as openssl x509 "
                        + "-fingerprint -sha256 prints it); got AB:CD"),
                problems("""
                        hosts:
                          srv:
                            address: a
                            boot:
                              redfish: {url: "ftp://bmc", user: admin, password_env: "hunter2!", pin: "AB:CD"}
                              power_cycle: [ipmitool]
                        """));
    }

    @Test
    void badBootSettingsAreNamedWithTheirPlace() throws Exception {
        assertEquals(List.of(
                "inventory.yaml:3:20: method: expected a boot method lab has: grub, kexec, efi, command; got iboot",
                "inventory.yaml:3:36: timeout: expected a boot timeout of at least 10s, got \"2s\"",
                "inventory.yaml:3:51: state_dir: expected an absolute directory path made of letters, digits, '.', "
                        + "'_', '-' and '/', got \"/run/x y\"",
                "inventory.yaml:5:40: a: a lab vm host is booted by lab vm itself; boot: is for hosts reached over SSH"),
                problems("""
                        hosts:
                          srv:
                            boot: {method: iboot, timeout: 2s, state_dir: "/run/x y"}
                            address: a
                          a: {address: a, vm: {cpus: 1}, boot: {}}
                        """));
    }

    @Test
    void theCommandMethodRunsTheLabsOwnSelectAndRebootCommands() throws Exception {
        Path file = write("""
                hosts:
                  pxe1:
                    address: 10.0.0.7
                    boot:
                      method: command
                      select: [/opt/lab/pxe-select, --host, pxe1]
                      reboot: [ipmitool, -H, bmc7, -E, chassis, power, reset]
                """);
        HostBootSettings boot = ((HostKind.Ssh) InventoryLoader.load(file).host("pxe1").orElseThrow().kind()).boot()
                .orElseThrow();
        assertEquals("command", boot.method());
        assertEquals(List.of("/opt/lab/pxe-select", "--host", "pxe1"), boot.select());
        assertEquals(List.of("ipmitool", "-H", "bmc7", "-E", "chassis", "power", "reset"), boot.reboot());
        assertEquals(List.of(
                "inventory.yaml:3:20: boot: the command method needs select: the command that selects the host's "
                        + "next boot, as a list of words",
                "inventory.yaml:5:34: boot: select is for the command method (method: command); the grub method "
                        + "does not run it"),
                problems("""
                        hosts:
                          a:
                            boot: {method: command}
                            address: a
                          b: {address: b, boot: {select: [x]}}
                        """));
    }

    @Test
    void notAnInventory() throws Exception {
        assertEquals(List.of("inventory.yaml:1:1: the inventory is empty; expected a map with a hosts key"),
                problems(""));
        assertEquals(List.of("inventory.yaml:1:1: missing required key 'hosts' in inventory",
                        "inventory.yaml:1:1: unknown key 'host' in inventory (expected one of: hosts); "
                                + "did you mean hosts?"),
                problems("host:\n  a: {address: a}\n"));
        assertEquals(List.of("inventory.yaml:1:8: hosts: expected a map of host names to host settings, got a list"),
                problems("hosts: [a, b]\n"));
        assertEquals(List.of("inventory.yaml:2:6: a: expected a map of host settings (keys: address, port, user, "
                        + "identity, jump, known_hosts, accept_new_host_key, workdir, vm, boot), got \"10.0.0.1\""),
                problems("hosts:\n  a: 10.0.0.1\n"));
        assertEquals(List.of("inventory.yaml:3:3: duplicate key 'a' (first given at line 2, column 3)"),
                problems("hosts:\n  a: {address: a}\n  a: {address: b}\n"));
    }

    static Stream<Arguments> badInventories() {
        return Stream.of(
                Arguments.of("local defined", "hosts: {local: {address: a}}\n", "'local' is built in"),
                Arguments.of("no hosts", "{}\n", "missing required key 'hosts'"),
                Arguments.of("unknown top key", "hosts: {}\nusers: {}\n", "unknown key 'users'"),
                Arguments.of("hosts a list", "hosts: [a]\n", "hosts: expected a map"),
                Arguments.of("host name space", "hosts: {\"a b\": {address: a}}\n", "invalid host name"),
                Arguments.of("host name dot", "hosts: {.a: {address: a}}\n", "invalid host name"),
                Arguments.of("no address", "hosts: {a: {port: 22}}\n", "missing required key 'address'"),
                Arguments.of("address dash", "hosts: {a: {address: -oX}}\n", "address: expected"),
                Arguments.of("address space", "hosts: {a: {address: \"a b\"}}\n", "address: expected"),
                Arguments.of("address number", "hosts: {a: {address: 42}}\n", "address: expected"),
                Arguments.of("port zero", "hosts: {a: {address: a, port: 0}}\n", "port: expected"),
                Arguments.of("port text", "hosts: {a: {address: a, port: \"22\"}}\n", "port: expected"),
                Arguments.of("user upper", "hosts: {a: {address: a, user: Root}}\n", "user: expected"),
                Arguments.of("user semicolon", "hosts: {a: {address: a, user: \"a;b\"}}\n", "user: expected"),
                Arguments.of("identity empty list", "hosts: {a: {address: a, identity: []}}\n", "identity: expected"),
                Arguments.of("identity blank", "hosts: {a: {address: a, identity: \" \"}}\n", "identity: expected"),
                Arguments.of("identity number", "hosts: {a: {address: a, identity: 5}}\n", "identity: expected"),
                Arguments.of("jump number", "hosts: {a: {address: a, jump: 5}}\n", "jump: expected"),
                Arguments.of("known_hosts list", "hosts: {a: {address: a, known_hosts: [x]}}\n", "known_hosts: expected"),
                Arguments.of("accept text", "hosts: {a: {address: a, accept_new_host_key: maybe}}\n",
                        "accept_new_host_key: expected true or false"),
                Arguments.of("workdir relative", "hosts: {a: {address: a, workdir: lab}}\n", "workdir: expected"),
                Arguments.of("workdir root", "hosts: {a: {address: a, workdir: /}}\n", "workdir: expected"),
                Arguments.of("workdir dotdot", "hosts: {a: {address: a, workdir: /a/..}}\n", "workdir: expected"),
                Arguments.of("workdir space", "hosts: {a: {address: a, workdir: \"/a b\"}}\n", "workdir: expected"),
                Arguments.of("workdir dollar", "hosts: {a: {address: a, workdir: \"/$(id)\"}}\n", "workdir: expected"),
                Arguments.of("unknown host key", "hosts: {a: {address: a, password: x}}\n", "unknown key 'password'"),
                Arguments.of("vm not a map", "hosts: {a: {address: a, vm: yes}}\n", "vm: expected a map"),
                Arguments.of("vm unknown key", "hosts: {a: {address: a, vm: {image: x}}}\n", "unknown key 'image'"),
                Arguments.of("vm kernel word", "hosts: {a: {address: a, vm: {kernel: latest}}}\n", "kernel: expected"),
                Arguments.of("vm kernel shell", "hosts: {a: {address: a, vm: {kernel: \"6.1;id\"}}}\n", "kernel: expected"),
                Arguments.of("vm cpus zero", "hosts: {a: {address: a, vm: {cpus: 0}}}\n", "cpus: expected an integer 1..8"),
                Arguments.of("vm cpus many", "hosts: {a: {address: a, vm: {cpus: 9}}}\n", "cpus: expected an integer 1..8"),
                Arguments.of("vm memory word", "hosts: {a: {address: a, vm: {memory: lots}}}\n", "memory: expected"),
                Arguments.of("vm memory number", "hosts: {a: {address: a, vm: {memory: 1024}}}\n", "memory: expected"),
                Arguments.of("vm cmdline newline", "hosts: {a: {address: a, vm: {cmdline: \"a\\nb\"}}}\n", "cmdline: expected"),
                Arguments.of("vm cmdline list", "hosts: {a: {address: a, vm: {cmdline: [a]}}}\n", "cmdline: expected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInventories")
    void badInventoriesAreRefusedByTheSchemaAndTheLoader(String what, String yaml, String loaderSays)
            throws IOException {
        JsonNode node = YAML.readTree(yaml);
        assertFalse(SCHEMA.validate(node).isEmpty(), what + ": the schema accepts it");
        Path file = write(yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> InventoryLoader.load(file), what);
        assertTrue(e.getMessage().contains(loaderSays), what + ": the loader says\n" + e.getMessage());
    }

    @Test
    void goodInventoriesPassBoth() throws IOException {
        for (String yaml : List.of(
                "hosts: {}\n",
                "hosts: {a: {address: a.example.com}}\n",
                "hosts:\n  a: {address: 10.0.0.1, port: 22, user: _svc-1, identity: [~/.ssh/a, k], jump: b,"
                        + " known_hosts: ~/kh, accept_new_host_key: false, workdir: /var/tmp/lab.2}\n"
                        + "  b: {address: \"::1\"}\n",
                "hosts: {v: {address: 127.0.0.1, vm: {}}}\n",
                "hosts: {v: {address: 127.0.0.1, vm: {kernel: 6.12.117+deb12, cpus: 8, memory: 1.5G, "
                        + "cmdline: \"cgroup.memory=nokmem quiet\", console: console.log}}}\n",
                "hosts: {s: {address: s1, boot: {method: grub, timeout: 90s, state_dir: /var/lib/lab-boot, "
                        + "power_cycle: [ipmitool, chassis, power, cycle], console: s1.log}}}\n",
                "hosts: {s: {address: s1, boot: {redfish: {url: \"https://bmc:8443\", user: root, password_env: BMC, "
                        + "auth: session, insecure: true}}}}\n")) {
            assertEquals(Set.of(), SCHEMA.validate(YAML.readTree(yaml)), yaml);
            try {
                InventoryLoader.load(write(yaml));
            } catch (ConfigException e) {
                fail(yaml + "\n" + e.getMessage());
            }
        }
    }

    @Test
    void schemaKnowsExactlyTheKeysTheLoaderKnows() throws IOException {
        JsonNode schema = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("src/main/resources/schema/inventory.schema.json").toFile());
        List<String> top = iterate(schema.get("properties").fieldNames());
        List<String> host = iterate(schema.at("/properties/hosts/additionalProperties/properties").fieldNames());
        assertEquals(InventoryLoader.TOP_KEYS, top);
        assertEquals(InventoryLoader.HOST_KEYS, host);
        List<String> vm = iterate(schema.at("/properties/hosts/additionalProperties/properties/vm/properties").fieldNames());
        assertEquals(InventoryLoader.VM_KEYS, vm);
        String boot = "/properties/hosts/additionalProperties/properties/boot/properties";
        assertEquals(InventoryLoader.BOOT_KEYS, iterate(schema.at(boot).fieldNames()));
        assertEquals(InventoryLoader.REDFISH_KEYS, iterate(schema.at(boot + "/redfish/properties").fieldNames()));
    }

    @Test
    void aVmHostNamesItsKernelAndHowItBoots() throws Exception {
        Path file = write("""
                hosts:
                  arm01:
                    address: 127.0.0.1
                    port: 40022
                    workdir: /data/lab
                    vm:
                      kernel: 6.1.0-56
                      cpus: 4
                      memory: 2G
                      cmdline: cgroup.memory=nokmem
                      console: vms/arm01/console.log
                  arm02:
                    address: 127.0.0.1
                    vm: {}
                  plain: {address: 10.0.0.1}
                """);
        Inventory inventory = InventoryLoader.load(file);
        HostKind.Vm arm01 = (HostKind.Vm) inventory.host("arm01").orElseThrow().kind();
        assertEquals(new VmSettings(Optional.of("6.1.0-56"), 4, 2L << 30, "cgroup.memory=nokmem",
                Optional.of(dir.resolve("vms/arm01/console.log"))), arm01.settings());
        assertEquals(Optional.of(dir.resolve("vms/arm01/console.log")), arm01.consoleLog());
        assertEquals(HostKind.ModuleBuild.ON_ORCHESTRATOR, arm01.moduleBuild());
        assertEquals(VmSettings.defaults(), ((HostKind.Vm) inventory.host("arm02").orElseThrow().kind()).settings());
        assertInstanceOf(HostKind.Ssh.class, inventory.host("plain").orElseThrow().kind());
        assertEquals(HostKind.ModuleBuild.ON_HOST, inventory.host("plain").orElseThrow().kind().moduleBuild());
        assertFalse(inventory.host("local").orElseThrow().kind().restart().canReboot(), "lab never reboots its own machine");
    }

    @Test
    void vmProblemsAreReportedWithTheirPlace() throws Exception {
        assertEquals(List.of(
                "inventory.yaml:5:15: kernel: expected a Debian arm64 kernel ABI such as 6.1.0-56, or a series such as "
                        + "6.1, got \"newest\"",
                "inventory.yaml:6:13: cpus: expected an integer 1..8, got 16",
                "inventory.yaml:7:15: memory: expected a whole number of MiB from 256M to 64G, got \"100M\"",
                "inventory.yaml:8:7: unknown key 'disk' in vm settings (expected one of: kernel, cpus, memory, cmdline, "
                        + "console)"),
                problems("""
                        hosts:
                          arm01:
                            address: 127.0.0.1
                            vm:
                              kernel: newest
                              cpus: 16
                              memory: 100M
                              disk: 4G
                        """));
    }

    @Test
    void inventoriesMergeWithTheLaterWinning() {
        HostSpec a = HostSpec.ssh("a", access("10.0.0.1"));
        HostSpec a2 = HostSpec.ssh("a", access("10.0.0.2"));
        HostSpec b = HostSpec.ssh("b", access("10.0.0.3"));
        Inventory merged = new Inventory(java.util.Map.of("a", a)).with(new Inventory(java.util.Map.of("a", a2, "b", b)));
        assertEquals(Set.of("local", "a", "b"), merged.hosts().keySet());
        assertEquals("10.0.0.2", merged.host("a").orElseThrow().kind().ssh().orElseThrow().address());
        assertInstanceOf(HostKind.Local.class, merged.host("local").orElseThrow().kind());
    }

    private static SshAccess access(String address) {
        return new SshAccess(address, 22, "root", List.of(), Optional.empty(), Optional.empty(), false);
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
