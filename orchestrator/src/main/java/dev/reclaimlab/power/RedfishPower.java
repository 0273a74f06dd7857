package dev.reclaimlab.power;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Restarts a host through its BMC ({@code ComputerSystem.Reset}). Each call is self-contained: it logs in (for a
 * session), finds the system, reads which reset types the BMC allows, and logs out.
 *
 * <p>The restart walks {@link RestartLadder}: GracefulRestart, ForceRestart, PowerCycle, then ForceOff and On. Only
 * types the BMC allows are sent. A 4xx (other than 401/403) for one type means "not this one" and the next is tried;
 * 401/403 stops everything; a 5xx or a failed task stops too, because the BMC may have acted on it and a second
 * reset on top of a half-done one helps nobody.
 *
 * <p>Every failure is an {@link IOException} whose message is one line: {@code BMC <url>: what was tried: why}.
 */
public final class RedfishPower {
    private final RedfishTarget target;
    private final HttpClient client;

    public RedfishPower(RedfishTarget target) {
        this.target = target;
        this.client = RedfishHttp.client(target);
    }

    public RedfishTarget target() {
        return target;
    }

    /**
     * Restarts the system by the gentlest reset type the BMC accepts, and returns once the BMC has accepted it (and
     * its task, if any, completed). For ForceOff then On it also waits for PowerState Off between and On after.
     *
     * @throws CredentialsRefusedException on 401/403, with nothing further attempted
     * @throws IOException                 when no reset type was accepted, or an accepted one failed
     */
    public ResetOutcome restart() throws IOException {
        return restart(true);
    }

    /**
     * As {@link #restart()}, without GracefulRestart: for a host whose OS is known not to answer (a hung kernel), where
     * a BMC would accept the graceful request and nothing would happen.
     */
    public ResetOutcome forceRestart() throws IOException {
        return restart(false);
    }

    private ResetOutcome restart(boolean gentleFirst) throws IOException {
        try (RedfishHttp http = RedfishHttp.open(target, client)) {
            String system = SystemLocator.locate(http, target);
            JsonNode resource = http.read(system, "the system");
            ResetAction action = ResetActionReader.read(http, system, resource);
            List<RestartLadder.Rung> rungs = RestartLadder.allowed(action.allowedValues()).stream()
                    .filter(r -> gentleFirst || !r.steps().contains(ResetType.GRACEFUL_RESTART)).toList();
            if (rungs.isEmpty()) {
                throw new IOException(http.fail("system " + system + " allows only reset types "
                        + action.allowedValues() + " (" + action.source() + "), none of which restarts it"));
            }
            List<RefusedReset> refused = new ArrayList<>();
            for (RestartLadder.Rung rung : rungs) {
                ResetType first = rung.steps().get(0);
                Optional<String> refusal = reset(http, action, first, refused);
                if (refusal.isPresent()) {
                    refused.add(new RefusedReset(first, refusal.get()));
                    continue;
                }
                if (rung.steps().size() > 1) {
                    powerOnAfterOff(http, system, action, refused);
                }
                return new ResetOutcome(system, rung.steps(), refused, action.source());
            }
            throw new IOException(http.fail("system " + system + " accepted no restart; tried "
                    + refused.stream().map(RefusedReset::toString).collect(Collectors.joining(", "))));
        }
    }

    /**
     * Waits until the system's {@code PowerState} is {@code wanted} ({@code On}, {@code Off}), polling at the
     * target's interval.
     *
     * @throws IOException naming the last state seen, when it is not reached within {@code timeout}
     */
    public void awaitPowerState(String wanted, Duration timeout) throws IOException {
        try (RedfishHttp http = RedfishHttp.open(target, client)) {
            PowerStateWaiter.await(http, SystemLocator.locate(http, target), wanted, timeout);
        }
    }

    /** The second half of ForceOff then On: the host is off now, so a refusal here is an error, not a next rung. */
    private void powerOnAfterOff(RedfishHttp http, String system, ResetAction action, List<RefusedReset> refused)
            throws IOException {
        PowerStateWaiter.await(http, system, "Off", target.timing().powerState());
        Optional<String> refusal = reset(http, action, ResetType.ON, refused);
        if (refusal.isPresent()) {
            throw new IOException(http.fail("ForceOff was accepted but On was refused (" + refusal.get()
                    + "); system " + system + " is off" + before(refused)));
        }
        PowerStateWaiter.await(http, system, "On", target.timing().powerState());
    }

    /**
     * POSTs one reset type.
     *
     * @return empty when accepted (and its task completed); the reason when the BMC refused this type with a 4xx,
     *         so that the next rung may be tried
     * @throws IOException for answers after which nothing more should be sent
     */
    private Optional<String> reset(RedfishHttp http, ResetAction action, ResetType type, List<RefusedReset> refused)
            throws IOException {
        String what = type.redfishName() + " (POST " + action.target() + ")";
        RedfishResponse r = http.post(action.target(), Map.of("ResetType", type.redfishName()));
        if (r.status() == 202) {
            // a task; without a link to it there is nothing to follow, and the BMC did accept
            Optional<String> task = r.location()
                    .or(() -> Optional.ofNullable(r.body().path("@odata.id").textValue()));
            if (task.isPresent()) {
                try {
                    TaskMonitor.await(http, task.get(), what);
                } catch (CredentialsRefusedException e) {
                    throw e;
                } catch (IOException e) {
                    throw new IOException(e.getMessage() + before(refused), e);
                }
            }
            return Optional.empty();
        }
        if (r.ok()) {
            return Optional.empty();
        }
        if (r.status() >= 400 && r.status() < 500) {
            return Optional.of(r.reason());
        }
        throw new IOException(http.fail(what + " failed: " + r.reason() + before(refused)));
    }

    private static String before(List<RefusedReset> refused) {
        return refused.isEmpty() ? "" : "; refused before it: "
                + refused.stream().map(RefusedReset::toString).collect(Collectors.joining(", "));
    }
}
