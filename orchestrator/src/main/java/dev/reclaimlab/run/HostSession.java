package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.StepLog;
import dev.reclaimlab.artifacts.StepRecord;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.HostShell;
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
import java.util.function.Predicate;

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
    /** The journal's install step ran, so its library is on the host for a step shell to source. */
    private volatile boolean journalInstalled;
    /** One long-lived shell on the host that runs the steps (see {@link HostShell}); null until needed. */
    private HostShell shell;
    private boolean shellUnavailable;
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
        return runAll(List.of(step), iteration, s -> false).get(0);
    }

    /**
     * Runs {@code steps} in order. Where the host has a step shell, consecutive steps go to it together, so the batch
     * costs one round trip rather than one per step; a failed step still stops the steps after it (the host skips
     * them), and every step that ran is logged. A step that fails and is not {@code tolerated} is thrown as a
     * {@link StepFailedException}; a tolerated one's failure (a workload's non-zero exit, which is a result) does not
     * stop the steps after it and is returned for the caller to judge.
     *
     * @return the results of the steps, in order (all of them, since only a thrown failure stops the batch)
     */
    public List<ExecResult> runAll(List<Step> steps, String iteration, Predicate<Step> tolerated)
            throws IOException, StepFailedException {
        List<ExecResult> results = new ArrayList<>();
        int next = 0;
        while (next < steps.size()) {
            HostShell shell = viaShell(steps.get(next)) ? shell() : null;
            if (shell == null) {
                Step step = steps.get(next++);
                ExecResult result = alone(step, iteration);
                if (!result.ok() && !tolerated.test(step)) {
                    throw new StepFailedException(host(), step, result);
                }
                results.add(result);
                continue;
            }
            int end = next;
            while (end < steps.size() && viaShell(steps.get(end))) {
                end++;
            }
            results.addAll(batch(shell, steps.subList(next, end), iteration, tolerated));
            next = end;
        }
        return results;
    }

    /** Sends {@code steps} to the shell at once, then takes their results in order; see {@link #runAll}. */
    private List<ExecResult> batch(HostShell shell, List<Step> steps, String iteration, Predicate<Step> tolerated)
            throws IOException, StepFailedException {
        List<HostShell.Pending> pending = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (Step step : steps) {
            String entry = step.undo().isPresent() ? nextEntryName(step.id()) : null;
            entries.add(entry);
            HostShell.Mode mode = pending.isEmpty() ? HostShell.Mode.ALWAYS : HostShell.Mode.CHAINED;
            pending.add(shell.submit(journal.shellScript(step, entry), step.timeout(), listener(step), mode,
                    tolerated.test(step)));
        }
        List<ExecResult> results = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            HostShell.Pending one = pending.get(i);
            ExecResult result = logged(step, iteration, entries.get(i), () -> one.await().orElseThrow(
                    () -> new IOException(host() + ": the step shell skipped " + step.id() + " though no step before"
                            + " it failed")));
            if (!result.ok() && !tolerated.test(step)) {
                for (HostShell.Pending skipped : pending.subList(i + 1, pending.size())) {
                    skipped.await(); // the host skips them: a failed step stops the chain
                }
                throw new StepFailedException(host(), step, result);
            }
            results.add(result);
        }
        return results;
    }

    /** Runs one step as a command of its own, the way a step with stdin and the journal's install step go. */
    private ExecResult alone(Step step, String iteration) throws IOException {
        String entry = step.undo().isPresent() ? nextEntryName(step.id()) : null;
        String script = journal.script(step, entry);
        ExecResult result = logged(step, iteration, entry, () -> step.stdin().isPresent()
                ? transport.execFromStream(script,
                        new ByteArrayInputStream(step.stdin().get().getBytes(StandardCharsets.UTF_8)), step.timeout())
                : transport.exec(script, step.timeout(), listener(step)));
        if (step.id().equals(Journal.INSTALL_STEP) && result.ok()) {
            journalInstalled = true;
            startHeartbeat();
        }
        return result;
    }

    private OutputListener listener(Step step) {
        return step.longRunning() ? (stream, line) -> progress.output(host(), line) : OutputListener.NONE;
    }

    /** Steps go to the step shell once the journal whose library it sources is on the host, unless they need stdin. */
    private boolean viaShell(Step step) {
        return journalInstalled && step.stdin().isEmpty() && !step.id().equals(Journal.INSTALL_STEP);
    }

    /**
     * The host's step shell, started on first use and again after it ended (a host reboot takes its connection);
     * null where the transport has none or it cannot start, and steps then run as commands of their own.
     */
    private synchronized HostShell shell() {
        if (shell != null && shell.usable()) {
            return shell;
        }
        if (shell != null) {
            shell.close();
            shell = null;
        }
        if (finished || shellUnavailable) {
            return null;
        }
        try {
            shell = transport.openShell(journal.shellPreamble()).orElse(null);
        } catch (IOException e) {
            note("no step shell on this host (" + e.getMessage() + "): each step runs as a command of its own");
        }
        shellUnavailable = shell == null;
        return shell;
    }

    /** Stops the step shell, killing a step it runs; steps not yet awaited fail. */
    private void closeShell() {
        HostShell open;
        synchronized (this) {
            open = shell;
            shell = null;
        }
        if (open != null) {
            open.close();
        }
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

    /**
     * Undo everything and remove the journal; afterwards the host is as the run found it. A step still running (the
     * run was interrupted) is killed first, and steps sent after it never run.
     */
    public List<String> teardownAll() throws IOException {
        closeShell();
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
            HostShell viaShell = command.equals(Journal.TEARDOWN_ALL) ? null : shell();
            ExecResult result = logged(step, iteration, null, () -> viaShell != null
                    ? viaShell.run(journal.teardownScript(command), TEARDOWN_TIMEOUT, OutputListener.NONE)
                    : transport.exec(journal.teardownScript(command), TEARDOWN_TIMEOUT));
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
