package dev.reclaimlab.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.Browser;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.vm.DebianKernelPackages;
import dev.reclaimlab.vm.VmITAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five nights of {@code lab nightly} on the emulated arm64 host, with a regression that is real on it: the VM's own
 * command line carries {@code cgroup.memory=nokmem} on good nights, and the test takes it away for two nights, so
 * memcg reclaim starts calling the memcg-aware shrinkers (playbooks/bisect-kmem.yaml's shrink_slab.starts go from none
 * to thousands). The first night boots the newest Debian 6.1 build through boot control. The webhook is WireMock.
 */
class NightlyIT {
    @RegisterExtension
    static WireMockExtension hook = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String VM = "it-nightly";
    static final String SECRET = "nightly-it-secret";
    static Path work;
    static Path plan;
    static String db;
    static String newest;
    static String ownKernel;

    @BeforeAll
    static void vm() throws Exception {
        VmITAccess.prerequisites();
        work = Files.createTempDirectory("nightly-it-");
        plan = work.resolve("kmem.yaml");
        Files.copy(Prerequisites.repoRoot().resolve("playbooks/bisect-kmem.yaml"), plan);
        Files.writeString(work.resolve("secret"), SECRET + "\n");
        db = "jdbc:sqlite:" + work.resolve("results.db");
        List<DebianKernelPackages.Build> builds = DebianKernelPackages.matching("6.1.0-*", "aarch64");
        newest = builds.get(builds.size() - 1).abi();
        // the VM's own kernel is the build before the newest, so that night 1's boot is a boot into another kernel
        ownKernel = builds.get(builds.size() - 2).abi();
        up("cgroup.memory=nokmem");
    }

    @AfterAll
    static void removeVm() throws Exception {
        VmITAccess.deleteIfRegistered(VM);
        if (work != null) {
            dev.reclaimlab.local.Trees.delete(work);
        }
    }

    @Test
    void fiveNightsFromBaselineToFixed() throws Exception {
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        String own = guest("uname -r");
        assertEquals(ownKernel + "-arm64", own);

        VmITAccess.Cli first = night("--kernel", "newest:6.1.0-*");
        assertEquals(0, first.exit(), first.all());
        JsonNode one = summary(first);
        assertEquals("baseline", one.get("status").asText(), one.toPrettyString());
        assertEquals(newest + "-arm64", kernelsOf(one.get("run").asText()).get(0), "the night ran the newest 6.1 build");
        assertEquals(own, guest("uname -r"), "and the host is back on its own kernel");

        VmITAccess.Cli second = night();
        assertEquals(0, second.exit(), second.all());
        assertEquals("baseline", summary(second).get("status").asText(), "two nights of three repeats make six samples");

        up("");
        VmITAccess.Cli third = night("--bisect-budget", "10m");
        assertEquals(8, third.exit(), third.all());
        JsonNode three = summary(third);
        assertEquals("regressed", three.get("status").asText(), three.toPrettyString());
        assertTrue(three.get("rerun").isTextual(), "re-run before anyone was told");
        assertEquals("confirmed", three.get("changed").get(0).get("state").asText());
        List<LoggedRequest> told = hook.findAll(postRequestedFor(urlEqualTo("/hook")));
        assertEquals(1, told.size(), "one message");
        JsonNode notice = Json.mapper().readTree(told.get(0).getBodyAsString());
        assertEquals("regression", notice.get("event").asText());
        assertEquals("shrink_slab.starts", notice.get("metric").asText());
        assertEquals(VM, notice.get("host").asText());
        assertTrue(notice.get("p").asDouble() < 0.05, notice.toString());
        assertTrue(notice.get("bisect").asText().startsWith("not bisected: the last good night and the first bad one ran"
                + " the same kernel"), "the kernel did not change, so nothing was bisected, and the message says so: "
                + notice);
        assertTrue(Files.isRegularFile(Path.of(notice.get("report").asText())), "the report it links exists: " + notice);
        assertEquals("sha256=" + Webhook.sign(SECRET.getBytes(StandardCharsets.UTF_8), told.get(0).getBody()),
                told.get(0).getHeader(Webhook.SIGNATURE_HEADER));
        String junit = Files.readString(Path.of(three.get("run_dir").asText(), "nightly", NightlyOutput.JUNIT));
        assertTrue(junit.contains("failures=\"1\"") && junit.contains("errors=\"0\""), junit);
        assertEquals(junit, Files.readString(work.resolve("nightly-junit.xml")), "--junit has the CI job's copy");

        VmITAccess.Cli fourth = night();
        assertEquals(8, fourth.exit(), fourth.all());
        assertEquals(1, hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size(), "still regressed: no new message");

        up("cgroup.memory=nokmem");
        VmITAccess.Cli fifth = night();
        assertEquals(0, fifth.exit(), fifth.all());
        assertEquals("good", summary(fifth).get("status").asText());
        told = hook.findAll(postRequestedFor(urlEqualTo("/hook")));
        assertEquals(2, told.size(), "one closing message");
        assertEquals("fixed", Json.mapper().readTree(told.get(1).getBodyAsString()).get("event").asText());

        Path page = work.resolve("history.html");
        VmITAccess.Cli history = VmITAccess.cli("history", plan.toString(), "--host", VM, "--db", db, "--out",
                page.toString());
        assertEquals(0, history.exit(), history.all());
        String html = Files.readString(page);
        assertEquals(6, count(html, "<g class=\"point"), "five nights and the re-run");
        assertEquals(3, count(html, "<g class=\"point regressed"), "the two regressed nights and the re-run");
        try (Browser browser = new Browser()) {
            Browser.Visit visit = browser.open(page, work.resolve("history.png"));
            assertEquals(List.of(), visit.consoleErrors());
            assertEquals(1, visit.charts());
            assertEquals(0, visit.emptyCharts());
        }
        assertEquals(List.of(), VmITAccess.guestResidue(VM), "nothing of lab's left in the guest");
    }

    private static VmITAccess.Cli night(String... extra) {
        List<String> args = new ArrayList<>(List.of("nightly", plan.toString(), "--host", VM, "--repeats", "3",
                "--baseline-samples", "6", "--db", db, "--runs", work.resolve("runs").toString(), "--notify",
                hook.baseUrl() + "/hook", "--notify-secret-file", work.resolve("secret").toString(), "--junit",
                work.resolve("nightly-junit.xml").toString()));
        args.addAll(List.of(extra));
        return VmITAccess.cli(args.toArray(String[]::new));
    }

    private static JsonNode summary(VmITAccess.Cli night) throws Exception {
        String junitLine = night.out().lines().filter(l -> l.startsWith("junit:")).findFirst().orElseThrow(
                () -> new AssertionError("no junit line:\n" + night.all()));
        Path nightly = Path.of(junitLine.substring("junit:".length()).strip()).getParent();
        return Json.mapper().readTree(nightly.resolve(NightlyOutput.SUMMARY).toFile());
    }

    private static List<String> kernelsOf(String runId) throws Exception {
        List<String> kernels = new ArrayList<>();
        try (var c = DriverManager.getConnection(db);
             var s = c.prepareStatement("SELECT DISTINCT kernel FROM iterations WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    kernels.add(rs.getString(1));
                }
            }
        }
        return kernels;
    }

    private static void up(String cmdline) {
        VmITAccess.Cli down = VmITAccess.cli("vm", "down", "--name", VM);
        VmITAccess.Cli up = VmITAccess.cli("vm", "up", "--name", VM, "--kernel", ownKernel, "--cmdline", cmdline);
        assertEquals(0, up.exit(), down.all() + "\n" + up.all());
    }

    private static String guest(String command) throws Exception {
        try (Transport guest = new Transports(VmITAccess.inventory(), false).open(VmITAccess.host(VM))) {
            ExecResult r = guest.exec(command, Duration.ofSeconds(30));
            assertTrue(r.ok(), command + ": " + r.stderr());
            return r.stdout().strip();
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
