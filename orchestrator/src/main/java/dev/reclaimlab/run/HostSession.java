package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.StepLog;
import dev.reclaimlab.artifacts.StepRecord;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.OutputListener;
import dev.reclaimlab.host.TransferException;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.step.Journal;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs compiled steps on one host and keeps its journal: a step with an undo first writes the undo as the next
 * numbered journal entry, in the same shell command, before it changes anything (see {@link Journal}). Teardown
 * replays the journal on the host, newest first. Teardown is serialised, so Ctrl-C and the normal end of a run
 * cannot undo twice. Every command, teardowns included, is logged to the step log and shown as progress.
 *
 * <p>Once the journal is on the host, the session sends a heartbeat every few seconds, on a connection of its own,
 * until the run is over there. Its own connection, because a command that exits on the steps' connection as a new
 * channel opens there makes dropbear 2022.83 close that channel at once (see {@code SshChannels}). When they stop coming (the orchestrator was killed, the link was cut) the host's
 * watchdog undoes the run by itself after the plan's watchdog time.
 */
public final class HostSession {
    static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(5);

    /** Heartbeats come at least this often, and at least four times per watchdog time. */
    static final Duration LONGEST_HEARTBEAT = Duration.ofSeconds(10);

    /** Opens the heartbeat's connection to the same host. */
    @FunctionalInterface
    public interface LinkOpener {
        Transport open() throws IOException;
    }

    private final Transport transport;
    private final LinkOpener heartbeatLinks;
    private final Journal journal;
    private final Duration watchdog;
    private final StepLog log;
    private final Progress progress;
    private final Object teardownLock = new Object();
    private int journalSeq;
    private boolean finished;
    private ScheduledExecutorService heartbeat;
    /** The heartbeat's connection; only the heartbeat thread touches it. */
    private Transport heartbeatLink;

    /**
     * @param heartbeatLinks opens the heartbeat's own connection to the host
     * @param watchdog how long the host waits for a heartbeat before it undoes the run itself
     */
    public HostSession(Transport transport, LinkOpener heartbeatLinks, Journal journal, Duration watchdog, StepLog log,
                       Progress progress) {
        this.transport = transport;
        this.heartbeatLinks = heartbeatLinks;
        this.journal = journal;
        this.watchdog = watchdog;
        this.log = log;
        this.progress = progress;
    }

    public String host() {
        return transport.hostName();
    }

    public Transport transport() {
        return transport;
    }

    /** Says something about this host in the run's progress. */
    public void note(String message) {
        progress.info(host(), message);
    }

    /** The newest journal entry so far; an iteration tears down everything after the mark it took at its start. */
    public synchronized int journalMark() {
        return journalSeq;
    }

    /** Runs one step; a failure (non-zero exit or timeout) becomes a {@link StepFailedException}. */
    public ExecResult run(Step step, String iteration) throws IOException, StepFailedException {
        String entry = step.undo().isPresent() ? nextEntryName(step.id()) : null;
        String script = journal.script(step, entry);
        OutputListener listener = step.longRunning() ? (stream, line) -> progress.output(host(), line)
                : OutputListener.NONE;
        ExecResult result = succeeded(step, logged(step, iteration, entry, () -> step.stdin().isPresent()
                ? transport.execFromStream(script,
                        new ByteArrayInputStream(step.stdin().get().getBytes(StandardCharsets.UTF_8)), step.timeout())
                : transport.exec(script, step.timeout(), listener)));
        if (step.id().equals(Journal.INSTALL_STEP)) {
            startHeartbeat();
        }
        return result;
    }

    /** The time between heartbeats: a quarter of the watchdog's time, at most {@link #LONGEST_HEARTBEAT}. */
    Duration heartbeatInterval() {
        Duration quarter = watchdog.dividedBy(4);
        return quarter.compareTo(LONGEST_HEARTBEAT) < 0 ? quarter : LONGEST_HEARTBEAT;
    }

    private synchronized void startHeartbeat() {
        if (heartbeat != null || finished) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-heartbeat-" + host());
            t.setDaemon(true); // a killed or exiting orchestrator stops beating: that is the point
            return t;
        });
        long every = heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            if (heartbeatLink == null) {
                heartbeatLink = heartbeatLinks.open();
            }
            heartbeatLink.exec(journal.heartbeatScript(), LONGEST_HEARTBEAT.multipliedBy(3));
        } catch (IOException | RuntimeException e) {
            // The link is down: the next beat reconnects, the next step says so. If it stays down, the host's
            // watchdog takes over.
            closeHeartbeatLink();
        }
    }

    private void closeHeartbeatLink() {
        if (heartbeatLink != null) {
            try {
                heartbeatLink.close();
            } catch (IOException | RuntimeException ignored) {
                // already broken
            }
            heartbeatLink = null;
        }
    }

    /**
     * No more heartbeats: the run is over on this host, torn down or given up (then the watchdog retries). A beat under
     * way finishes rather than being killed, then the heartbeat's connection closes.
     */
    public synchronized void stopHeartbeat() {
        if (heartbeat != null && !heartbeat.isShutdown()) {
            heartbeat.execute(this::closeHeartbeatLink);
            heartbeat.shutdown();
        }
    }

    /**
     * Copies a file onto the host (size and SHA-256 checked on both ends). It goes into the run's work directory,
     * whose undo is already in the journal, so it needs no undo of its own.
     */
    public void upload(Upload upload, String iteration) throws IOException, StepFailedException {
        Step step = Step.action("upload", upload.description(), "upload " + upload.remotePath());
        succeeded(step, logged(step, iteration, null, () -> {
            Instant started = Instant.now();
            try {
                FileTransfer.upload(transport, upload.localPath(), upload.remotePath());
                return new ExecResult(0, "", "", Duration.between(started, Instant.now()), false);
            } catch (TransferException e) {
                return new ExecResult(1, "", e.getMessage(), Duration.between(started, Instant.now()), false);
            }
        }));
    }

    /** Undo every journal entry newer than {@code mark}; returns the problems (empty when all undone). */
    public List<String> teardownAfter(int mark, String iteration) throws IOException {
        return teardown(Journal.teardownAfter(mark), iteration);
    }

    /** Undo everything and remove the journal; afterwards the host is as the run found it. */
    public List<String> teardownAll() throws IOException {
        synchronized (teardownLock) {
            if (finished) {
                return List.of();
            }
            List<String> problems = teardown(Journal.TEARDOWN_ALL, "run");
            finished = problems.isEmpty();
            if (finished) {
                stopHeartbeat();
            }
            return problems;
        }
    }

    private List<String> teardown(String command, String iteration) throws IOException {
        synchronized (teardownLock) {
            if (finished) {
                return List.of();
            }
            Step step = Step.action("teardown", "undo the journal", command).withTimeout(TEARDOWN_TIMEOUT);
            ExecResult result = logged(step, iteration, null,
                    () -> transport.exec(journal.teardownScript(command), TEARDOWN_TIMEOUT));
            List<String> problems = new ArrayList<>();
            if (!result.ok()) {
                for (String line : result.stderr().split("\n")) {
                    if (!line.isBlank()) {
                        problems.add(line.strip());
                    }
                }
                if (problems.isEmpty()) {
                    problems.add("teardown " + result.outcome());
                }
            }
            return problems;
        }
    }

    /** What a command does on the host; a failed transport is an IOException, a failed command a result. */
    @FunctionalInterface
    private interface Execution {
        ExecResult run() throws IOException;
    }

    /** Runs {@code execution} as {@code step}: shown as progress, logged to steps.jsonl, failure thrown after. */
    private ExecResult logged(Step step, String iteration, String journalEntry, Execution execution)
            throws IOException {
        progress.stepStarted(host(), iteration, step);
        Instant started = Instant.now();
        ExecResult result;
        try {
            result = execution.run();
        } catch (IOException e) {
            progress.stepLost(host(), iteration, step, e.getMessage());
            throw e;
        }
        log.append(new StepRecord(host(), iteration, step.id(), step.description(), step.command(),
                step.undo().orElse(null), journalEntry, started.toString(), result.duration().toMillis(),
                result.exitCode(), result.timedOut(), result.stdout(), result.stderr()));
        StepPause.stepLogged(host(), iteration, step.id());
        progress.stepFinished(host(), iteration, step, result);
        return result;
    }

    private ExecResult succeeded(Step step, ExecResult result) throws StepFailedException {
        if (!result.ok()) {
            throw new StepFailedException(host(), step, result);
        }
        return result;
    }

    private synchronized String nextEntryName(String stepId) {
        journalSeq++;
        return Journal.entryName(journalSeq, stepId);
    }
}
