package dev.reclaimlab.run;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.OutputListener;
import dev.reclaimlab.host.TransferException;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.StepCompiler;
import dev.reclaimlab.step.Upload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs compiled steps on one host and keeps its journal: a step with an undo first writes the undo as the next
 * numbered journal entry, in the same shell command, before it changes anything. Teardown replays the journal on
 * the host, newest first. Teardown is serialised, so Ctrl-C and the normal end of a run cannot undo twice.
 */
public final class HostSession {
    static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(5);

    private final Transport transport;
    private final HostLayout layout;
    private final StepLog log;
    private final Progress progress;
    private final Object teardownLock = new Object();
    private int journalSeq;
    private boolean finished;

    public HostSession(Transport transport, HostLayout layout, StepLog log, Progress progress) {
        this.transport = transport;
        this.layout = layout;
        this.log = log;
        this.progress = progress;
    }

    public String host() {
        return transport.hostName();
    }

    public Transport transport() {
        return transport;
    }

    public HostLayout layout() {
        return layout;
    }

    /** The newest journal entry so far; an iteration tears down everything after the mark it took at its start. */
    public synchronized int journalMark() {
        return journalSeq;
    }

    /** Runs one step; a failure (non-zero exit or timeout) becomes a {@link StepFailedException}. */
    public ExecResult run(Step step, String iteration) throws IOException, StepFailedException {
        String journalEntry = null;
        String script;
        if (step.id().equals(StepCompiler.INSTALL_JOURNAL)) {
            script = step.command(); // the library it installs cannot be sourced yet
        } else {
            StringBuilder text = new StringBuilder(layout.preamble()).append('\n');
            if (step.undo().isPresent()) {
                journalEntry = nextEntryName(step.id());
                text.append("lab_journal ").append(journalEntry).append(' ').append(Sh.quote(step.undo().get()))
                        .append('\n');
            }
            script = text.append(step.command()).toString();
        }
        progress.stepStarted(host(), iteration, step);
        Instant started = Instant.now();
        OutputListener listener = step.longRunning() ? (stream, line) -> progress.output(host(), line)
                : OutputListener.NONE;
        ExecResult result = step.stdin().isPresent()
                ? transport.execFromStream(script,
                        new ByteArrayInputStream(step.stdin().get().getBytes(StandardCharsets.UTF_8)), step.timeout())
                : transport.exec(script, step.timeout(), listener);
        log.append(new StepRecord(host(), iteration, step.id(), step.description(), step.command(),
                step.undo().orElse(null), journalEntry, started.toString(), result.duration().toMillis(),
                result.exitCode(), result.timedOut(), result.stdout(), result.stderr()));
        progress.stepFinished(host(), iteration, step, result);
        if (!result.ok()) {
            throw new StepFailedException(host(), step, result);
        }
        return result;
    }

    /**
     * Copies a file onto the host (size and SHA-256 checked on both ends). It goes into the run's work directory,
     * whose undo is already in the journal, so it needs no undo of its own.
     */
    public void upload(Upload upload, String iteration) throws IOException, StepFailedException {
        Step step = Step.action("upload", upload.description(), "upload " + upload.remotePath());
        progress.stepStarted(host(), iteration, step);
        Instant started = Instant.now();
        ExecResult result;
        try {
            FileTransfer.upload(transport, upload.localPath(), upload.remotePath());
            result = new ExecResult(0, "", "", Duration.between(started, Instant.now()), false);
        } catch (TransferException e) {
            result = new ExecResult(1, "", e.getMessage(), Duration.between(started, Instant.now()), false);
        }
        log.append(new StepRecord(host(), iteration, step.id(), step.description(), step.command(), null, null,
                started.toString(), result.duration().toMillis(), result.exitCode(), result.timedOut(),
                result.stdout(), result.stderr()));
        progress.stepFinished(host(), iteration, step, result);
        if (!result.ok()) {
            throw new StepFailedException(host(), step, result);
        }
    }

    /** Undo every journal entry newer than {@code mark}; returns the problems (empty when all undone). */
    public List<String> teardownAfter(int mark, String iteration) throws IOException {
        return teardown("lab_teardown " + String.format("%05d", mark), iteration);
    }

    /** Undo everything and remove the journal; afterwards the host is as the run found it. */
    public List<String> teardownAll() throws IOException {
        synchronized (teardownLock) {
            if (finished) {
                return List.of();
            }
            List<String> problems = teardown("lab_teardown && lab_finish", "run");
            finished = problems.isEmpty();
            return problems;
        }
    }

    private List<String> teardown(String command, String iteration) throws IOException {
        synchronized (teardownLock) {
            if (finished) {
                return List.of();
            }
            Step step = Step.action("teardown", "undo the journal", command).withTimeout(TEARDOWN_TIMEOUT);
            Instant started = Instant.now();
            progress.stepStarted(host(), iteration, step);
            // A run that failed before its journal was installed has nothing to undo.
            String script = "LAB_J=" + Sh.quote(layout.journal()) + "; [ -f \"$LAB_J/lib.sh\" ] || exit 0; "
                    + ". \"$LAB_J/lib.sh\" || exit 1\n" + command;
            ExecResult result = transport.exec(script, TEARDOWN_TIMEOUT);
            log.append(new StepRecord(host(), iteration, step.id(), step.description(), command, null, null,
                    started.toString(), result.duration().toMillis(), result.exitCode(), result.timedOut(),
                    result.stdout(), result.stderr()));
            progress.stepFinished(host(), iteration, step, result);
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

    private synchronized String nextEntryName(String stepId) {
        journalSeq++;
        return String.format("%05d-%s", journalSeq, stepId.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
