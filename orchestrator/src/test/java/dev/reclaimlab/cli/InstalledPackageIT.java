package dev.reclaimlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb the build makes, installed on this machine with dpkg as a kernel engineer would: lab runs from it with no
 * Java on the PATH (its own runtime), validates and plans an installed playbook, reaches a real sshd (the runtime has
 * the ciphers SSH needs), has its man pages where man finds them and completion under bash and zsh; removing the
 * package leaves nothing behind. The machine must not have the package already: the test would replace and remove
 * someone's installation.
 */
class InstalledPackageIT {
    private static final Path LAB = Path.of("/usr/bin/lab");
    private static final Path HOME = Path.of("/usr/lib/reclaim-lab");

    @TempDir
    static Path dir;
    /** A PATH with the few tools the launcher itself needs, and no java. */
    private static Path bareBin;

    @BeforeAll
    static void install() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("installing a .deb needs root");
        }
        Prerequisites.require("dpkg");
        if (run(List.of("dpkg-query", "-W", "-f=${Status}", "reclaim-lab"), Map.of()).out().contains("installed")) {
            fail("reclaim-lab is already installed on this machine; this test installs and removes its own build, so"
                    + " remove it first (dpkg -r reclaim-lab)");
        }
        Path deb;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            deb = files.filter(p -> p.getFileName().toString().matches("reclaim-lab_.*\\.deb")).findFirst()
                    .orElseGet(() -> fail("no reclaim-lab_*.deb in target/: the package phase builds it"
                            + " (mvn package, not -Ddist.skip=true)"));
        }
        Result installed = run(List.of("dpkg", "-i", deb.toAbsolutePath().toString()), Map.of());
        assertEquals(0, installed.exit(), installed.toString());
        bareBin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sh", "dirname", "readlink")) {
            Files.createSymbolicLink(bareBin.resolve(tool), Path.of(Prerequisites.require(tool)));
        }
    }

    @AfterAll
    static void remove() throws Exception {
        Result removed = run(List.of("dpkg", "-r", "reclaim-lab"), Map.of());
        assertEquals(0, removed.exit(), removed.toString());
        for (Path left : List.of(HOME, LAB, Path.of("/usr/share/reclaim-lab"),
                Path.of("/usr/share/man/man1/lab-run.1.gz"), Path.of("/usr/share/bash-completion/completions/lab"))) {
            assertFalse(Files.exists(left), left + " is left after dpkg -r");
        }
    }

    @Test
    void labRunsFromThePackageWithItsOwnRuntimeAndNoJavaOnThePath() throws Exception {
        Map<String, String> env = Map.of("PATH", bareBin.toString(), "HOME", dir.toString());
        Result version = run(List.of(LAB.toString(), "--version"), env);
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().matches("lab \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
        assertTrue(Files.isRegularFile(HOME.resolve("lib/lab.jsa")), "postinst made the start-up archive");

        String playbook = "/usr/share/reclaim-lab/playbooks/memcg-storm.yaml";
        Result valid = run(List.of(LAB.toString(), "validate", playbook), env);
        assertEquals(List.of(0, playbook + ": ok (1 variant x 1 repeat)\n"), List.of(valid.exit(), valid.out()));
        Result plan = run(List.of(LAB.toString(), "plan", playbook, "-p", "pods=3"), env);
        assertEquals(0, plan.exit(), plan.toString());
        assertTrue(plan.out().contains("lab_spawn") && plan.out().contains("kubepods/pod03/")
                && !plan.out().contains("kubepods/pod04/"), "-p pods=3 made three pods: " + plan.out());
    }

    @Test
    void thePackagedRuntimeSpeaksSshToARealServer() throws Exception {
        try (Sshd sshd = Sshd.start()) {
            Path inventory = dir.resolve("hosts.yaml");
            Files.writeString(inventory, "hosts:\n  lab01:\n    address: " + sshd.host() + "\n    port: " + sshd.port()
                    + "\n    user: " + sshd.user() + "\n    identity: " + sshd.clientKey() + "\n    known_hosts: "
                    + sshd.knownHosts() + "\n");
            Result probed = run(List.of(LAB.toString(), "plan", "/usr/share/reclaim-lab/playbooks/memcg-storm.yaml",
                    "--inventory", inventory.toString(), "--host", "lab01", "--probe"),
                    Map.of("PATH", bareBin.toString(), "HOME", dir.toString()));
            assertEquals(0, probed.exit(), probed.toString());
            assertTrue(probed.out().contains("# host lab01") && probed.out().contains("lab_spawn"),
                    "the probe logged in, read the host and planned for it: " + probed);
            assertTrue(sshd.acceptedLogins() > 0, "sshd saw lab log in");
        }
    }

    @Test
    void manFindsThePagesAndBothShellsCompleteLab() throws Exception {
        Result where = run(List.of("man", "-w", "lab-run"), Map.of());
        assertEquals("/usr/share/man/man1/lab-run.1.gz\n", where.out(), where.toString());
        Result page = run(List.of("man", "lab-vm-up"), Map.of("MANWIDTH", "100", "PAGER", "cat"));
        assertTrue(page.out().contains("lab-vm-up"), page.toString());

        Result bash = run(List.of("bash", "-c", "source /usr/share/bash-completion/completions/lab 2>/dev/null; "
                + "COMP_WORDS=(lab va); COMP_CWORD=1; COMP_LINE='lab va'; _complete_lab 2>/dev/null; "
                + "echo \"${COMPREPLY[*]}\""), Map.of());
        assertEquals("validate", bash.out().strip(), bash.toString());
        Prerequisites.require("zsh");
        Result zsh = run(List.of("zsh", "-fc", "autoload -U compinit && compinit -u; "
                + "source /usr/share/zsh/vendor-completions/_lab; complete -p lab"), Map.of());
        assertEquals("complete -F _complete_lab -o default lab", zsh.out().lines().findFirst().orElse(""),
                zsh.toString());
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        if (!env.isEmpty()) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(command + " did not finish");
        }
        return new Result(p.exitValue(), out, err);
    }
}
