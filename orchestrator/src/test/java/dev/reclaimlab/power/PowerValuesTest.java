package dev.reclaimlab.power;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small values of the package: pins, credentials, targets and the restart ladder. */
class PowerValuesTest {
    private static final String PIN = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
            + "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @Test
    void pinsAreNormalisedFromTheUsualSpellings() {
        assertEquals(PIN, TlsTrust.pinned(PIN).sha256());
        assertEquals(PIN, TlsTrust.pinned(PIN.replace(":", "").toLowerCase()).sha256());
        assertEquals(PIN, TlsTrust.pinned("sha256 Fingerprint=" + PIN).sha256());
        assertEquals(PIN, TlsTrust.pinned("SHA256:" + PIN.replace(":", " ")).sha256());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsTrust.pinned("AB:CD"));
        assertEquals("expected a SHA-256 fingerprint (64 hex digits), got \"AB:CD\"", e.getMessage());
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        Credentials c = new Credentials("admin", "hunter2");
        assertFalse(c.toString().contains("hunter2"));
        RedfishTarget t = RedfishTarget.of(URI.create("https://bmc.lab:8443/ignored/path"), c);
        assertFalse(t.toString().contains("hunter2"));
        assertEquals(URI.create("https://bmc.lab:8443"), t.baseUrl());
    }

    @Test
    void aTargetNeedsAnHttpUrl() {
        Credentials c = new Credentials("admin", "x");
        assertThrows(IllegalArgumentException.class, () -> RedfishTarget.of(URI.create("ssh://bmc"), c));
        assertThrows(IllegalArgumentException.class, () -> RedfishTarget.of(URI.create("bmc.lab"), c));
        assertThrows(IllegalArgumentException.class,
                () -> RedfishTarget.of(URI.create("https://bmc"), c).withSystemPath("Systems/1"));
    }

    @Test
    void theLadderKeepsOnlyRungsWhoseEveryTypeIsAllowed() {
        assertEquals(List.of("GracefulRestart", "ForceRestart", "PowerCycle", "ForceOff then On"),
                describe(RestartLadder.allowed(ResetAction.COMMON)));
        assertEquals(List.of("PowerCycle"), describe(RestartLadder.allowed(Set.of("PowerCycle", "ForceOff"))));
        assertEquals(List.of("ForceOff then On"), describe(RestartLadder.allowed(Set.of("On", "ForceOff", "Nmi"))));
        assertEquals(List.of(), describe(RestartLadder.allowed(Set.of("On", "GracefulShutdown"))));
    }

    private static List<String> describe(List<RestartLadder.Rung> rungs) {
        return rungs.stream().map(RestartLadder.Rung::describe).toList();
    }
}
