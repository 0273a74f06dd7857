package dev.reclaimlab.power;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RedfishPower} against WireMock standing in for a BMC; every assertion is on what the BMC received. */
class RedfishPowerTest {
    private static final String SYSTEMS = "/redfish/v1/Systems";
    private static final String SYSTEM = "/redfish/v1/Systems/1";
    private static final String RESET = SYSTEM + "/Actions/ComputerSystem.Reset";
    private static final String PASSWORD = "s3cret-pw";
    /** Short polling so a whole task or PowerState wait takes milliseconds. */
    private static final Timing FAST = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(10));

    @RegisterExtension
    static final WireMockExtension BMC = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort())
            .build();

    /** Plain HTTP ({@code baseUrl()} would be the HTTPS one, since both are enabled). */
    private static String httpUrl() {
        return BMC.getRuntimeInfo().getHttpBaseUrl();
    }

    private static RedfishTarget target() {
        return RedfishTarget.of(URI.create(httpUrl()), new Credentials("admin", PASSWORD)).withTiming(FAST);
    }

    private static RedfishTarget httpsTarget(TlsTrust trust) {
        return RedfishTarget.of(URI.create(BMC.getRuntimeInfo().getHttpsBaseUrl()),
                new Credentials("admin", PASSWORD)).withTiming(FAST).withTls(trust);
    }

    private static void oneSystem() {
        BMC.stubFor(get(SYSTEMS).willReturn(okJson("{\"Members\": [{\"@odata.id\": \"" + SYSTEM + "\"}]}")));
    }

    /** The system resource with the given JSON inside its reset action. */
    private static String systemJson(String powerState, String resetAction) {
        return "{\"@odata.id\": \"" + SYSTEM + "\", \"PowerState\": \"" + powerState + "\", \"Actions\": {"
                + "\"#ComputerSystem.Reset\": {\"target\": \"" + RESET + "\"" + resetAction + "}}}";
    }

    private static String allowing(String... types) {
        return ", \"ResetType@Redfish.AllowableValues\": [\"" + String.join("\", \"", types) + "\"]";
    }

    private static void systemAllowing(String... types) {
        oneSystem();
        BMC.stubFor(get(SYSTEM).willReturn(okJson(systemJson("On", allowing(types)))));
    }

    private static String resetBody(String type) {
        return "{\"ResetType\": \"" + type + "\"}";
    }

    /** The ResetType of every reset POST the BMC received, oldest first. */
    private static List<String> resetsReceived() {
        List<String> out = new ArrayList<>();
        for (ServeEvent e : chronological()) {
            if (e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(RESET)) {
                out.add(e.getRequest().getBodyAsString().replaceAll(".*\"ResetType\"\\s*:\\s*\"([^\"]*)\".*", "$1"));
            }
        }
        return out;
    }

    private static List<ServeEvent> chronological() {
        List<ServeEvent> events = new ArrayList<>(BMC.getAllServeEvents());
        Collections.reverse(events); // WireMock lists newest first
        return events;
    }

    @Test
    void picksTheGentlestAllowedResetType() throws IOException {
        systemAllowing("ForceRestart", "PowerCycle", "Nmi");
        BMC.stubFor(post(RESET).willReturn(status(204)));

        ResetOutcome outcome = new RedfishPower(target()).restart();

        assertEquals(List.of("ForceRestart"), resetsReceived());
        BMC.verify(1, postRequestedFor(urlEqualTo(RESET)).withRequestBody(equalToJson(resetBody("ForceRestart")))
                .withBasicAuth(new BasicCredentials("admin", PASSWORD)));
        assertEquals(List.of(ResetType.FORCE_RESTART), outcome.sent());
        assertEquals(SYSTEM, outcome.system());
        assertTrue(outcome.refused().isEmpty());
    }

    @Test
    void aForcedRestartNeverAsksTheHungOsToRestartGracefully() throws IOException {
        systemAllowing("GracefulRestart", "ForceRestart", "PowerCycle");
        BMC.stubFor(post(RESET).willReturn(status(204)));

        ResetOutcome outcome = new RedfishPower(target()).forceRestart();

        assertEquals(List.of("ForceRestart"), resetsReceived());
        assertEquals(List.of(ResetType.FORCE_RESTART), outcome.sent());
    }

    @Test
    void honoursActionInfoWhenTheActionListsNoValues() throws IOException {
        oneSystem();
        String info = SYSTEM + "/ResetActionInfo";
        BMC.stubFor(get(SYSTEM).willReturn(okJson(systemJson("On", ", \"@Redfish.ActionInfo\": \"" + info + "\""))));
        BMC.stubFor(get(info).willReturn(okJson("{\"Parameters\": [{\"Name\": \"Other\", \"AllowableValues\": "
                + "[\"GracefulRestart\"]}, {\"Name\": \"ResetType\", \"Required\": true, \"AllowableValues\": "
                + "[\"On\", \"ForceOff\", \"PowerCycle\"]}]}")));
        BMC.stubFor(post(RESET).willReturn(status(200)));

        ResetOutcome outcome = new RedfishPower(target()).restart();

        BMC.verify(1, getRequestedFor(urlEqualTo(info)));
        assertEquals(List.of("PowerCycle"), resetsReceived());
        assertTrue(outcome.allowed().contains(info), outcome.allowed());
    }

    @Test
    void assumesTheCommonSetWhenTheBmcSaysNothing() throws IOException {
        oneSystem();
        BMC.stubFor(get(SYSTEM).willReturn(okJson(systemJson("On", ""))));
        BMC.stubFor(post(RESET).willReturn(status(204)));

        new RedfishPower(target()).restart();

        assertEquals(List.of("GracefulRestart"), resetsReceived());
    }

    @Test
    void aRefusedTypeFallsThroughToTheNextAndSaysWhy() throws IOException {
        systemAllowing("GracefulRestart", "ForceRestart", "On");
        BMC.stubFor(post(RESET).withRequestBody(equalToJson(resetBody("GracefulRestart"))).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"error\": {\"code\": "
                        + "\"Base.1.8.GeneralError\", \"message\": \"See ExtendedInfo\", \"@Message.ExtendedInfo\": "
                        + "[{\"MessageId\": \"Base.1.8.ActionNotSupported\", \"Message\": \"GracefulRestart needs a "
                        + "running OS.\"}]}}")));
        BMC.stubFor(post(RESET).withRequestBody(equalToJson(resetBody("ForceRestart"))).willReturn(status(204)));

        ResetOutcome outcome = new RedfishPower(target()).restart();

        assertEquals(List.of("GracefulRestart", "ForceRestart"), resetsReceived());
        assertEquals(List.of(ResetType.FORCE_RESTART), outcome.sent());
        assertEquals(1, outcome.refused().size());
        RefusedReset refused = outcome.refused().get(0);
        assertEquals(ResetType.GRACEFUL_RESTART, refused.type());
        assertEquals("HTTP 400: GracefulRestart needs a running OS.", refused.reason());
        assertTrue(outcome.summary().contains("ForceRestart accepted"), outcome.summary());
    }

    @Test
    void everyTypeRefusedIsOneErrorListingEach() {
        systemAllowing("GracefulRestart", "PowerCycle");
        BMC.stubFor(post(RESET).willReturn(status(400)));

        IOException e = assertThrows(IOException.class, () -> new RedfishPower(target()).restart());

        assertEquals(List.of("GracefulRestart", "PowerCycle"), resetsReceived());
        assertEquals("BMC " + httpUrl() + ": system " + SYSTEM + " accepted no restart; tried GracefulRestart "
                + "(HTTP 400), PowerCycle (HTTP 400)", e.getMessage());
    }

    @Test
    void followsATaskUntilCompleted() throws IOException {
        systemAllowing("ForceRestart");
        String task = "/redfish/v1/TaskService/Tasks/7";
        BMC.stubFor(post(RESET).willReturn(aResponse().withStatus(202).withHeader("Location", task)));
        BMC.stubFor(get(task).inScenario("task").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"TaskState\": \"Running\"}")).willSetStateTo("running-2"));
        BMC.stubFor(get(task).inScenario("task").whenScenarioStateIs("running-2")
                .willReturn(okJson("{\"TaskState\": \"Running\"}")).willSetStateTo("done"));
        BMC.stubFor(get(task).inScenario("task").whenScenarioStateIs("done")
                .willReturn(okJson("{\"TaskState\": \"Completed\", \"TaskStatus\": \"OK\"}")));

        ResetOutcome outcome = new RedfishPower(target()).restart();

        assertEquals(List.of(ResetType.FORCE_RESTART), outcome.sent());
        BMC.verify(3, getRequestedFor(urlEqualTo(task)));
    }

    @Test
    void aTaskEndingInExceptionIsAnErrorWithItsMessages() {
        systemAllowing("GracefulRestart", "ForceRestart");
        String task = "/redfish/v1/TaskService/Tasks/8";
        BMC.stubFor(post(RESET).willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"@odata.id\": \"" + task + "\", \"TaskState\": \"New\"}")));
        BMC.stubFor(get(task).willReturn(okJson("{\"TaskState\": \"Exception\", \"Messages\": [{\"Message\": "
                + "\"Power supply 2 fault.\"}]}")));

        IOException e = assertThrows(IOException.class, () -> new RedfishPower(target()).restart());

        assertEquals("BMC " + httpUrl() + ": GracefulRestart (POST " + RESET + "): its task " + task
                + " ended Exception: Power supply 2 fault.", e.getMessage());
        // the BMC acted on the reset: no second one on top of it
        assertEquals(List.of("GracefulRestart"), resetsReceived());
    }

    @Test
    void refusedCredentialsStopEverything() {
        BMC.stubFor(get(anyUrl()).willReturn(status(401)));

        IOException e = assertThrows(CredentialsRefusedException.class, () -> new RedfishPower(target()).restart());

        assertTrue(e.getMessage().startsWith("BMC " + httpUrl() + ": refused the credentials for user admin"),
                e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        BMC.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void aForbiddenResetIsNotFollowedByAnotherType() {
        systemAllowing("GracefulRestart", "ForceRestart");
        BMC.stubFor(post(RESET).willReturn(status(403)));

        IOException e = assertThrows(CredentialsRefusedException.class, () -> new RedfishPower(target()).restart());

        assertTrue(e.getMessage().contains("refused the credentials for user admin (HTTP 403 on POST " + RESET),
                e.getMessage());
        assertEquals(List.of("GracefulRestart"), resetsReceived());
    }

    @Test
    void sessionAuthLogsInUsesTheTokenAndLogsOut() throws IOException {
        String session = "/redfish/v1/SessionService/Sessions/42";
        BMC.stubFor(post("/redfish/v1/SessionService/Sessions")
                .withRequestBody(equalToJson("{\"UserName\": \"admin\", \"Password\": \"" + PASSWORD + "\"}"))
                .willReturn(aResponse().withStatus(201).withHeader("X-Auth-Token", "tok-123")
                        .withHeader("Location", "https://10.0.0.9" + session)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"@odata.id\": \"" + session + "\"}")));
        BMC.stubFor(get(SYSTEMS).withHeader("X-Auth-Token", equalTo("tok-123"))
                .willReturn(okJson("{\"Members\": [{\"@odata.id\": \"" + SYSTEM + "\"}]}")));
        BMC.stubFor(get(SYSTEM).withHeader("X-Auth-Token", equalTo("tok-123"))
                .willReturn(okJson(systemJson("On", allowing("ForceRestart")))));
        BMC.stubFor(post(RESET).withHeader("X-Auth-Token", equalTo("tok-123")).willReturn(status(204)));
        BMC.stubFor(delete(session).withHeader("X-Auth-Token", equalTo("tok-123")).willReturn(status(204)));

        new RedfishPower(target().withAuth(AuthMode.SESSION)).restart();

        assertEquals(List.of("ForceRestart"), resetsReceived());
        BMC.verify(1, postRequestedFor(urlEqualTo("/redfish/v1/SessionService/Sessions"))
                .withHeader("Authorization", absent()));
        BMC.verify(getRequestedFor(urlEqualTo(SYSTEM)).withHeader("X-Auth-Token", equalTo("tok-123"))
                .withHeader("Authorization", absent()));
        BMC.verify(1, deleteRequestedFor(urlEqualTo(session)).withHeader("X-Auth-Token", equalTo("tok-123")));
        List<ServeEvent> events = chronological();
        assertEquals("DELETE", events.get(events.size() - 1).getRequest().getMethod().getName(), "logout comes last");
    }

    @Test
    void aWrongPinIsRefusedBeforeAnythingIsSent() throws Exception {
        systemAllowing("ForceRestart");
        BMC.stubFor(post(RESET).willReturn(status(204)));
        String wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

        IOException e = assertThrows(IOException.class,
                () -> new RedfishPower(httpsTarget(TlsTrust.pinned(wrong))).restart());

        assertTrue(e.getMessage().contains("pinned SHA-256 " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("BMC presented SHA-256 " + serverFingerprint()), e.getMessage());
        BMC.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theRightPinWorks() throws Exception {
        systemAllowing("ForceRestart");
        BMC.stubFor(post(RESET).willReturn(status(204)));
        // spelled as openssl prints it, lower-case, to check the pin is normalised
        String pin = "sha256 Fingerprint=" + serverFingerprint().toLowerCase(Locale.ROOT);

        new RedfishPower(httpsTarget(TlsTrust.pinned(pin))).restart();

        assertEquals(List.of("ForceRestart"), resetsReceived());
    }

    @Test
    void theTrustStoreRefusesASelfSignedBmc() throws Exception {
        systemAllowing("ForceRestart");
        BMC.stubFor(post(RESET).willReturn(status(204)));

        IOException e = assertThrows(IOException.class,
                () -> new RedfishPower(httpsTarget(TlsTrust.trustStore())).restart());

        assertTrue(e.getMessage().startsWith("BMC " + BMC.getRuntimeInfo().getHttpsBaseUrl() + ": GET " + SYSTEMS
                + " failed: TLS refused: the BMC's certificate (SHA-256 " + serverFingerprint()
                + ") is not trusted by the JVM trust store"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        BMC.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void insecureAcceptsAnyCertificate() throws IOException {
        systemAllowing("PowerCycle");
        BMC.stubFor(post(RESET).willReturn(status(204)));

        new RedfishPower(httpsTarget(TlsTrust.insecure())).restart();

        assertEquals(List.of("PowerCycle"), resetsReceived());
    }

    @Test
    void forceOffThenOnWaitsForOffBetween() throws IOException {
        oneSystem();
        String power = "power";
        // the system reads On until ForceOff, On once more while it powers down, then Off until On
        BMC.stubFor(get(SYSTEM).inScenario(power).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(systemJson("On", allowing("ForceOff", "On")))));
        BMC.stubFor(post(RESET).inScenario(power).whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(equalToJson(resetBody("ForceOff"))).willReturn(status(204))
                .willSetStateTo("powering-off"));
        BMC.stubFor(get(SYSTEM).inScenario(power).whenScenarioStateIs("powering-off")
                .willReturn(okJson(systemJson("On", allowing("ForceOff", "On")))).willSetStateTo("off"));
        BMC.stubFor(get(SYSTEM).inScenario(power).whenScenarioStateIs("off")
                .willReturn(okJson(systemJson("Off", allowing("ForceOff", "On")))));
        // On is only answered once the system is Off; before that it would be a 404 and the test would fail
        BMC.stubFor(post(RESET).inScenario(power).whenScenarioStateIs("off")
                .withRequestBody(equalToJson(resetBody("On"))).willReturn(status(204)).willSetStateTo("on"));
        BMC.stubFor(get(SYSTEM).inScenario(power).whenScenarioStateIs("on")
                .willReturn(okJson(systemJson("On", allowing("ForceOff", "On")))));

        ResetOutcome outcome = new RedfishPower(target()).restart();

        assertEquals(List.of(ResetType.FORCE_OFF, ResetType.ON), outcome.sent());
        assertEquals(List.of("ForceOff", "On"), resetsReceived());
        List<String> seen = new ArrayList<>();
        for (ServeEvent e : chronological()) {
            String body = e.getRequest().getMethod().getName().equals("POST") ? e.getRequest().getBodyAsString()
                    : e.getResponse().getBodyAsString();
            seen.add(e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl() + " "
                    + body.replaceAll(".*\"(ResetType|PowerState)\"\\s*:\\s*\"([^\"]*)\".*", "$2"));
        }
        assertEquals(List.of(
                "GET " + SYSTEMS + " {\"Members\": [{\"@odata.id\": \"" + SYSTEM + "\"}]}",
                "GET " + SYSTEM + " On",
                "POST " + RESET + " ForceOff",
                "GET " + SYSTEM + " On",
                "GET " + SYSTEM + " Off",
                "POST " + RESET + " On",
                "GET " + SYSTEM + " On"), seen);
    }

    @Test
    void awaitPowerStateNamesTheLastStateOnTimeout() {
        oneSystem();
        BMC.stubFor(get(SYSTEM).willReturn(okJson(systemJson("PoweringOn", ""))));
        RedfishPower power = new RedfishPower(target());

        IOException e = assertThrows(IOException.class, () -> power.awaitPowerState("On", Duration.ofMillis(100)));

        assertEquals("BMC " + httpUrl() + ": system " + SYSTEM + " PowerState was still PoweringOn after 100ms "
                + "(waiting for On)", e.getMessage());
    }

    @Test
    void severalSystemsMustBeNamed() {
        BMC.stubFor(get(SYSTEMS).willReturn(okJson("{\"Members\": [{\"@odata.id\": \"/redfish/v1/Systems/node1\"}, "
                + "{\"@odata.id\": \"/redfish/v1/Systems/node2\"}]}")));

        IOException e = assertThrows(IOException.class, () -> new RedfishPower(target()).restart());

        assertTrue(e.getMessage().endsWith("lists 2 systems (/redfish/v1/Systems/node1, /redfish/v1/Systems/node2); "
                + "name the host's one in the inventory"), e.getMessage());
        BMC.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void aNamedSystemIsUsedWithoutDiscovery() throws IOException {
        String node2 = "/redfish/v1/Systems/node2";
        BMC.stubFor(get(node2).willReturn(okJson("{\"Actions\": {\"#ComputerSystem.Reset\": {\"target\": \"" + node2
                + "/Actions/ComputerSystem.Reset\"" + allowing("ForceRestart") + "}}}")));
        BMC.stubFor(post(node2 + "/Actions/ComputerSystem.Reset").willReturn(status(204)));

        new RedfishPower(target().withSystemPath(node2)).restart();

        BMC.verify(0, getRequestedFor(urlEqualTo(SYSTEMS)));
        BMC.verify(1, postRequestedFor(urlEqualTo(node2 + "/Actions/ComputerSystem.Reset"))
                .withRequestBody(equalToJson(resetBody("ForceRestart"))));
    }

    /** The fingerprint of WireMock's HTTPS certificate, read independently of the code under test. */
    private static String serverFingerprint() throws Exception {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", BMC.getHttpsPort())) {
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        }
    }
}
